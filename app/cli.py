"""Flask commands: demo data and user administration."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(users)
    app.cli.add_command(processes)


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
