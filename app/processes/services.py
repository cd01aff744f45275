"""Budget processes: finding and listing them, and saving their settings, budgets, phase dates and
categories; the district and category lists their forms offer. Phase changes: phase_changes.py."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from app.core import audit
from app.core.forms import options
from app.extensions import db
from app.i18n import clean_translations, localized
from app.processes.models import Category, District, Phase, Process, ProcessDistrict, ProcessPhase, Project
from app.processes.signals import settings_change_requested

if TYPE_CHECKING:  # app.auth imports its views, which use this module
    from app.auth.models import User

SETTINGS = (
    "title",
    "summary",
    "description",
    "currency",
    "ballot_type",
    "min_choices",
    "max_choices",
    "total_points",
    "max_points_per_project",
    "min_spend_percent",
    "rule",
    "rule_threshold",
    "residents_only",
    "min_age",
    "allow_accounts",
    "allow_census",
    "allow_codes",
    "allow_paper",
)
BALLOT_SETTINGS = {
    "ballot_type",
    "min_choices",
    "max_choices",
    "total_points",
    "max_points_per_project",
    "min_spend_percent",
    "rule",
    "rule_threshold",
    "residents_only",
    "min_age",
    "allow_accounts",
    "allow_census",
    "allow_codes",
    "allow_paper",
}


class ProcessError(Exception):
    """A change to a process that the rules do not allow; the message is safe to show.

    `field` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def districts(*, include_citywide: bool = True) -> list[District]:
    stmt = select(District).order_by(District.position, District.name)
    if not include_citywide:
        stmt = stmt.where(District.is_citywide.is_(False))
    return list(db.session.scalars(stmt))


def district_choices() -> list[SelectChoice]:
    """Choices for "the district you live in": every area but the city-wide pot."""
    return options([("", "—")] + [(d.id, localized(d, "name")) for d in districts(include_citywide=False)])


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def slugify(text: str, *, length: int = 80, fallback: str = "process") -> str:
    """A web address name from `text`: ASCII letters and digits joined by single hyphens, at most
    `length` characters; `fallback` when nothing is left (a name in another script)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:length].rstrip("-") or fallback


def get_by_slug(slug: str) -> Process | None:
    """The process with its budgets (and their districts) and phase dates, in one query: nearly every
    page of a process reads them."""
    stmt = (
        select(Process)
        .where(Process.slug == slug)
        .options(joinedload(Process.budgets), joinedload(Process.phases))
    )
    return db.session.scalars(stmt).unique().first()


def _unique_slug(wanted: str, process: Process | None) -> str:
    taken = db.session.scalar(select(Process.id).where(Process.slug == wanted))
    if taken is not None and (process is None or taken != process.id):
        raise ProcessError(
            _l("Another process already uses the web address name “%(slug)s”.", slug=wanted), "slug"
        )
    return wanted


def save_process(
    actor: User,
    process: Process | None,
    *,
    slug: str | None,
    settings: dict,
    budgets: dict[int, int | None],
    dates: dict[Phase, tuple[datetime | None, datetime | None]],
    category_ids: list[int],
    translations: dict | None = None,
) -> Process:
    """Create or update a process with its budgets (cents per district id), phase dates and categories,
    and its texts in other languages (None: left as they are; see app.i18n.clean_translations).

    Ballot settings and budgets are locked once voting has begun (or when another feature says so,
    e.g. ballots exist). Audited. Flushes.
    """
    creating = process is None
    process = process or Process(phase=Phase.DRAFT)
    before = {} if creating else _snapshot(process)
    if not creating:
        _check_settings_change(process, settings, budgets)
    process.slug = _unique_slug(slug or slugify(settings["title"]), None if creating else process)
    for name in SETTINGS:
        setattr(process, name, settings[name])
    if translations is not None:
        process.translations = checked_translations(translations)
    _set_budgets(process, budgets)
    _set_dates(process, dates)
    process.categories = list(db.session.scalars(select(Category).where(Category.id.in_(category_ids))))
    db.session.add(process)
    db.session.flush()
    after = _snapshot(process)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    audit.record(
        actor,
        "process.created" if creating else "process.updated",
        process,
        before={k: before.get(k) for k in changed} if not creating else None,
        after=changed,
    )
    return process


def checked_translations(raw: dict) -> dict[str, dict[str, str]]:
    """The texts in other languages as stored; ProcessError when one is too long."""
    try:
        return clean_translations(raw)
    except ValueError:
        raise ProcessError(_l("A text in another language is too long.")) from None


def _snapshot(process: Process) -> dict:
    values = {name: getattr(process, name) for name in SETTINGS if name != "description"}
    values["slug"] = process.slug
    for code, texts in sorted((process.translations or {}).items()):
        values.update({f"{field}:{code}": text for field, text in texts.items() if field != "description"})
    for b in process.budgets:
        values[f"budget:{b.district.slug if b.district else b.district_id}"] = b.budget_cents
    for p in process.phases:
        values[f"{p.phase.value}:dates"] = f"{p.starts_at or ''} – {p.ends_at or ''}"
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items()}


def _check_settings_change(process: Process, settings: dict, budgets: dict[int, int | None]) -> None:
    ballot_changed = any(getattr(process, k) != settings[k] for k in BALLOT_SETTINGS)
    current = {b.district_id: b.budget_cents for b in process.budgets}
    budgets_changed = current != {k: v for k, v in budgets.items() if v}
    if not (ballot_changed or budgets_changed):
        return
    if process.phase.index >= Phase.VOTING.index:
        raise ProcessError(
            _l("Ballot settings and budgets cannot change once voting has begun."), "ballot_type"
        )
    for _receiver, reason in settings_change_requested.send(process):
        if reason:
            raise ProcessError(reason, "ballot_type")


def _set_budgets(process: Process, budgets: dict[int, int | None]) -> None:
    keep = {district_id: cents for district_id, cents in budgets.items() if cents}
    process.budgets = [b for b in process.budgets if b.district_id in keep]
    positions = {d.id: d.position for d in districts()}
    for district_id, cents in keep.items():
        row = process.budget_for(district_id)
        if row is None:
            row = ProcessDistrict(district_id=district_id, budget_cents=cents)
            process.budgets.append(row)
        row.budget_cents = cents
        row.position = positions.get(district_id, 0)


def _set_dates(process: Process, dates: dict[Phase, tuple[datetime | None, datetime | None]]) -> None:
    process.phases = [p for p in process.phases if any(dates.get(p.phase, (None, None)))]
    for phase, (starts_at, ends_at) in dates.items():
        if not (starts_at or ends_at):
            continue
        row = process.dates(phase)
        if row is None:
            row = ProcessPhase(phase=phase)
            process.phases.append(row)
        row.starts_at, row.ends_at = starts_at, ends_at


def count_projects(process: Process) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Project).where(Project.process_id == process.id)
    )


def public_processes() -> list[Process]:
    """Every process but drafts, the running ones first, newest first within a phase."""
    stmt = _with_budgets_and_dates(select(Process).where(Process.phase != Phase.DRAFT))
    processes = list(db.session.scalars(stmt.order_by(Process.created_at.desc())))
    return sorted(processes, key=lambda p: _listing_rank(p.phase))


def _listing_rank(phase: Phase) -> int:
    return {Phase.VOTING: 0, Phase.PROPOSALS: 1, Phase.REVIEW: 2, Phase.RESULTS: 3, Phase.DELIVERY: 4}.get(
        phase, 5
    )


def all_processes() -> list[Process]:
    return list(
        db.session.scalars(_with_budgets_and_dates(select(Process)).order_by(Process.created_at.desc()))
    )


def _with_budgets_and_dates(stmt):
    return stmt.options(selectinload(Process.budgets), selectinload(Process.phases))
