"""Districts, categories and budget processes."""

from sqlalchemy import select
from wtforms import SelectChoice

from app.core.forms import options
from app.extensions import db
from app.processes.models import Category, District


def districts(*, include_citywide: bool = True) -> list[District]:
    stmt = select(District).order_by(District.position, District.name)
    if not include_citywide:
        stmt = stmt.where(District.is_citywide.is_(False))
    return list(db.session.scalars(stmt))


def district_choices() -> list[SelectChoice]:
    """Choices for "the district you live in": every area but the city-wide pot."""
    return options([("", "—")] + [(d.id, d.name) for d in districts(include_citywide=False)])


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))
