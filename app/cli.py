"""Flask commands: demo data, user administration, processes, queued e-mail, backups and .pb files."""

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
    app.cli.add_command(mail)
    app.cli.add_command(backup)
    app.cli.add_command(pb)


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
    from app.processes.phase_changes import advance_due

    moved = advance_due()
    db.session.commit()
    for process, previous in moved:
        click.echo(f"{process.slug}: {previous.value} -> {process.phase.value}")


@click.group(cls=AppGroup)
def mail() -> None:
    """Queued e-mail (the outbox: ballot receipts)."""


@mail.command("flush")
@click.option("--limit", default=1000, show_default=True, help="Send at most this many messages.")
def flush_mail(limit: int) -> None:
    """Send queued e-mail that is due: first tries a worker did not make, and retries (run it every
    minute from cron or a timer; several at once are safe)."""
    from app.core import outbox

    done = outbox.flush(limit=limit)
    if done:
        click.echo(
            f"sent {done[outbox.MailStatus.SENT]}, to retry {done[outbox.MailStatus.PENDING]}, "
            f"given up {done[outbox.MailStatus.FAILED]}, no longer needed {done[outbox.MailStatus.CANCELLED]}"
        )


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


@click.group()
def pb() -> None:
    """Pabulib .pb files: count one, import an election, export a process's ballots."""


@pb.command("tally")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--rule",
    "rule",
    required=True,
    type=click.Choice(["greedy", "greedy-threshold", "greedy-no-skip", "mes", "mes-add1"]),
)
@click.option("--threshold", type=float, help="greedy-threshold: minimum score (default: the file's META).")
@click.option("--tie-break", type=click.Choice(["file-order", "lexico", "cost-votes"]))
@click.option(
    "--utilities", type=click.Choice(["cost", "cardinality"]), help="MES utilities for approval votes."
)
@click.option("--stop-when-exhaustive", is_flag=True, help="mes-add1: stop once no project fits (pabutools).")
@click.option("--greedy-fill", is_flag=True, help="mes-add1: then fund by votes while money lasts.")
@click.option("--comparison", is_flag=True, help="mes-add1: publish greedy if more voters prefer it.")
@click.option("--exact-start", is_flag=True, help="mes-add1: start at B/n exactly, not rounded down.")
@click.option("--full", is_flag=True, help="Print every project's figures and explanation too.")
def pb_tally(path: str, rule: str, full: bool, **flags) -> None:
    """Count FILE.pb with RULE and print JSON; no database needed."""
    import json

    from app.tally import tally_file

    options = {k: v for k, v in flags.items() if v not in (None, False)}
    if options.pop("exact_start", False):
        options["start"] = "exact"
    try:
        result = tally_file(path, rule, explain=full, **options)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if not full:
        result.pop("projects", None)
    click.echo(json.dumps(result, indent=1))


@pb.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", help="The new process's web address name (default: from the file name).")
@click.option("--title", help="The new process's title (default: the file's description).")
@click.option("--district", "district_slug", help="Put it in this existing district (default: from META).")
@with_appcontext
def pb_import(path: str, slug: str | None, title: str | None, district_slug: str | None) -> None:
    """Create a process in the results phase from a whole election in FILE.pb."""
    from app.processes.services import slugify
    from app.results.pb_io import ImportError_, import_election
    from app.tally import PbFormatError, read_pb

    try:
        election = read_pb(path)
    except PbFormatError as exc:
        raise click.ClickException(str(exc)) from None
    slug = slug or slugify(Path(path).stem)
    with click.progressbar(
        length=election.num_voters, label=f"Importing {election.num_voters} ballots"
    ) as bar:
        try:
            process = import_election(
                election, slug=slug, title=title, district_slug=district_slug, progress=bar.update
            )
        except ImportError_ as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(
        f"Imported {process.title!r} as /processes/{process.slug}: {len(election.projects)} projects, "
        f"{election.num_voters} ballots. Count and publish it from its admin page."
    )


@pb.command("export")
@click.argument("slug")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Default: SLUG_DISTRICT.pb"
)
@click.option("--district", "district_slug", help="Which district, when the process has several.")
@with_appcontext
def pb_export(slug: str, out: Path | None, district_slug: str | None) -> None:
    """Write the anonymised ballots of process SLUG to a .pb file (voting must be over)."""
    from app.processes.services import get_by_slug
    from app.results.pb_io import ImportError_, export_district
    from app.voting.errors import VotingError

    process = get_by_slug(slug)
    if process is None:
        raise click.ClickException(f"no process with the slug {slug!r}")
    try:
        name, text = export_district(process, district_slug)
    except (ImportError_, VotingError) as exc:
        raise click.ClickException(str(exc)) from None
    target = out or Path(name)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {target} ({len(text.encode())} bytes).")
