"""Districts and categories, the city's two ways of sorting processes, proposals and projects: kept by
admins, each with a unique web address name and its name in other languages."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.core import audit
from app.extensions import db
from app.i18n import TRANSLATED_NAME, clean_translations
from app.processes.models import Category, District, Phase, Process, ProcessDistrict
from app.processes.services import ProcessError, slugify

# What each table that points at a district or category is called when an admin is told why it cannot
# be deleted, in the order they are listed. Every foreign key counts (a table missing here is named by
# its table name, last).
USED_BY = {
    "process_districts": _l("budgets of processes"),
    "process_categories": _l("processes"),
    "projects": _l("ballot projects"),
    "proposals": _l("proposals"),
    "users": _l("people who live there"),
    "result_snapshots": _l("results"),
    "ballots": _l("ballots"),
    "ballot_drafts": _l("ballots being filled in"),
    "paper_entries": _l("paper ballots"),
    "census_entries": _l("census lists"),
    "voter_codes": _l("voter codes"),
}
_RANK = {name: rank for rank, name in enumerate(USED_BY)}
SLUG_TAKEN = {
    District: _l("Another district already uses the web address name “%(slug)s”."),
    Category: _l("Another category already uses the web address name “%(slug)s”."),
}
IN_USE = {
    District: _l("This district cannot be deleted while it is in use: %(uses)s. You can rename it instead."),
    Category: _l("This category cannot be deleted while it is in use: %(uses)s. You can rename it instead."),
}

Sorter = District | Category


def save_district(
    actor: User,
    district: District | None,
    *,
    name: str,
    slug: str | None,
    is_citywide: bool,
    position: int | None,
    translations: dict | None = None,
) -> District:
    """Add or change a district; see `_save`. The city-wide flag cannot change while a process with a
    budget for the district is voting: it decides who may vote on the district's projects."""
    if district is not None and district.is_citywide != is_citywide:
        _check_flag_change(district)
    district = district or District()
    return _save(actor, district, slug, position, translations, name=name, is_citywide=is_citywide)


def save_category(
    actor: User,
    category: Category | None,
    *,
    name: str,
    slug: str | None,
    position: int | None,
    translations: dict | None = None,
) -> Category:
    """Add or change a category; see `_save`."""
    return _save(actor, category or Category(), slug, position, translations, name=name)


def _save(
    actor: User, item: Sorter, slug: str | None, position: int | None, translations, **values
) -> Sorter:
    """Set `values` and the slug (made from the name when empty; unique among its kind), position (None:
    last for a new one, unchanged otherwise) and names in other languages (None: left as they are; see
    app.i18n.clean_translations). Everything is checked before anything changes. Audited. Flushes."""
    creating = item.id is None
    slug = _unique_slug(type(item), slug or _slug_from(values["name"]), item)
    cleaned = _checked_names(translations) if translations is not None else (item.translations or {})
    before = {} if creating else _snapshot(item)
    item.slug, item.translations = slug, cleaned
    for key, value in values.items():
        setattr(item, key, value)
    if position is not None or creating:
        item.position = position if position is not None else _next_position(type(item))
    db.session.add(item)
    db.session.flush()
    after = _snapshot(item)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    audit.record(
        actor,
        f"{_kind(item)}.{'created' if creating else 'updated'}",
        item,
        before={k: before.get(k) for k in changed} if not creating else None,
        after=changed,
    )
    return item


def _kind(item: Sorter) -> str:
    return type(item).__name__.lower()


def _slug_from(name: str) -> str:
    slug = slugify(name, length=60, fallback="")
    if not slug:
        raise ProcessError(_l("Type a web address name: none can be made from this name."), "slug")
    return slug


def _unique_slug(model: type[Sorter], wanted: str, item: Sorter) -> str:
    taken = db.session.scalar(select(model.id).where(model.slug == wanted))
    if taken is not None and taken != item.id:
        raise ProcessError(SLUG_TAKEN[model] % {"slug": wanted}, "slug")
    return wanted


def _checked_names(raw: dict) -> dict[str, dict[str, str]]:
    try:
        return clean_translations(raw, TRANSLATED_NAME)
    except ValueError:
        raise ProcessError(_l("A name in another language is too long.")) from None


def _next_position(model: type[Sorter]) -> int:
    highest = db.session.scalar(select(func.max(model.position)))
    return 0 if highest is None else highest + 1


def _check_flag_change(district: District) -> None:
    voting = db.session.scalar(
        select(Process.id)
        .join(ProcessDistrict, ProcessDistrict.process_id == Process.id)
        .where(ProcessDistrict.district_id == district.id, Process.phase == Phase.VOTING)
        .limit(1)
    )
    if voting is not None:
        raise ProcessError(
            _l("This cannot change while a process with a budget for this district is voting."),
            "is_citywide",
        )


def _snapshot(item: Sorter) -> dict:
    values = {"name": item.name, "slug": item.slug, "position": item.position}
    if isinstance(item, District):
        values["is_citywide"] = item.is_citywide
    for code, texts in sorted((item.translations or {}).items()):
        values.update({f"{field}:{code}": text for field, text in texts.items()})
    return values


def uses(item: Sorter) -> list[tuple[str, int]]:
    """What points at `item`: [(what, how many rows)] in the order of USED_BY; empty when nothing does.

    Every foreign key to the item's table is counted, so a table added later counts too.
    """
    keys = [
        (table, key)
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table is type(item).__table__
    ]
    found = []
    for table, key in sorted(keys, key=lambda pair: _RANK.get(pair[0].name, len(_RANK))):
        count = db.session.scalar(select(func.count()).select_from(table).where(key.parent == item.id))
        if count:
            found.append((str(USED_BY.get(table.name, table.name)), count))
    return found


def why_kept(item: Sorter) -> str | None:
    """Why `item` cannot be deleted (what uses it, with counts), or None when it can."""
    found = uses(item)
    if not found:
        return None
    return IN_USE[type(item)] % {"uses": "; ".join(f"{what}: {count}" for what, count in found)}


def delete(actor: User, item: Sorter) -> None:
    """Delete a district or category that nothing uses (ProcessError saying what does otherwise).
    Audited. Flushes."""
    if reason := why_kept(item):
        raise ProcessError(reason)
    audit.record(actor, f"{_kind(item)}.deleted", item, before=_snapshot(item))
    db.session.delete(item)
    db.session.flush()
