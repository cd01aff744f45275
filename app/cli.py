"""Flask commands: demo data and user administration."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(processes)
    app.cli.add_command(backup)


@click.command()
@with_appcontext
@click.option("--force", is_flag=True, help="Load the demo even when APP_ENV=production.")
def demo(force: bool) -> None:
    """Load the demo city (safe to run again: what exists is kept) and print the demo logins."""
    from app.demo import load_demo

    if current_app.config["ENV_NAME"] == "production" and not force:
        raise click.ClickException("Refusing to load demo accounts in production (use --force).")
    report = load_demo()
    db.session.commit()
    click.echo(
        f"Demo city {current_app.config['CITY_NAME']}: "
        + (f"created {len(report.created)} records." if report.created else "already loaded.")
    )
    click.echo("Demo logins (email / password):")
    for role, email, password in report.logins:
        click.echo(f"  {role:<9} {email:<28} {password}")


@click.group(cls=AppGroup)
def users() -> None:
    """Manage accounts."""


@users.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator")
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create a verified administrator account, or make an existing account administrator."""
    from app.auth.models import Role, User
    from app.auth.services import hash_password, normalise_email
    from app.db import utcnow

    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        user = User(email=normalise_email(email), display_name=name, email_verified_at=utcnow())
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.role = Role.ADMIN
    db.session.commit()
    click.echo(f"{user.email} is an administrator.")


@click.group(cls=AppGroup)
def processes() -> None:
    """Budget processes."""


@processes.command("tick")
def tick() -> None:
    """Move running processes on whose phase has ended (run it every minute from cron or a timer)."""
    from app.processes.services import advance_due

    moved = advance_due()
    db.session.commit()
    for process, previous in moved:
        click.echo(f"{process.slug}: {previous.value} -> {process.phase.value}")


@click.group(cls=AppGroup)
def backup() -> None:
    """Portable backups of the whole database (SQLite or PostgreSQL)."""


@backup.command("dump")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_dump(path: Path) -> None:
    """Write every table to PATH (gzip'd JSON lines)."""
    from app.backup import dump

    counts = dump(path)
    click.echo(f"Wrote {sum(counts.values())} rows from {len(counts)} tables to {path}.")


@backup.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def backup_restore(path: Path) -> None:
    """Load PATH into an empty database (run `flask db upgrade` on it first)."""
    from app.backup import BackupError, restore

    try:
        counts = restore(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Restored {sum(counts.values())} rows into {len(counts)} tables.")
