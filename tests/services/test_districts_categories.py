"""Districts and categories kept by admins, on a real session: slugs, names in other languages, the
city-wide flag, and deleting only what nothing uses."""

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.extensions import db
from app.processes import taxonomy
from app.processes.models import Category, District, Phase, Process, Project
from app.processes.services import ProcessError


@pytest.fixture
def admin(app, make_user):
    with app.test_request_context():
        yield db.session.get(User, make_user(Role.ADMIN).id)


def _district(admin, district=None, **values) -> District:
    values = {"name": "Old Town", "slug": None, "is_citywide": False, "position": None, **values}
    return taxonomy.save_district(admin, district, **values)


def test_a_new_district_gets_a_slug_from_its_name_goes_last_and_is_audited(admin, make_district):
    make_district(position=4)
    district = _district(admin, name="Ölberg Park 2")
    assert (district.slug, district.position, district.translations) == ("olberg-park-2", 5, {})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "district.created"))
    assert event.target_type == "districts" and event.after["slug"] == "olberg-park-2"


def test_an_edit_audits_what_changed_and_keeps_the_position_when_none_is_given(admin):
    district = _district(admin, position=3, translations={"es": {"name": "Casco"}})
    _district(
        admin, district, name="Old Town Centre", slug="old-town", translations={"es": {"name": "Centro"}}
    )
    assert district.position == 3
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "district.updated"))
    assert event.before == {"name": "Old Town", "name:es": "Casco"}
    assert event.after == {"name": "Old Town Centre", "name:es": "Centro"}


def test_slugs_are_unique_within_districts_and_within_categories(admin):
    _district(admin)
    with pytest.raises(ProcessError) as refused:
        _district(admin, name="Old town")
    assert refused.value.field == "slug" and "old-town" in str(refused.value)
    category = taxonomy.save_category(admin, None, name="Old town", slug=None, position=None)
    assert category.slug == "old-town"  # categories and districts are addressed apart
    with pytest.raises(ProcessError):
        taxonomy.save_category(admin, None, name="Heritage", slug="old-town", position=None)
    assert taxonomy.save_category(admin, category, name="Old town", slug="old-town", position=None)


def test_a_name_with_nothing_to_make_a_slug_from_needs_one(admin):
    with pytest.raises(ProcessError) as refused:
        _district(admin, name="Центр")
    assert refused.value.field == "slug"
    assert _district(admin, name="Центр", slug="tsentr").name == "Центр"


def test_names_in_other_languages_are_limited_to_known_languages_and_the_name(admin):
    category = taxonomy.save_category(
        admin,
        None,
        name="Parks",
        slug=None,
        position=None,
        translations={
            "es": {"name": " Parques\x07 ", "title": "not a field of a category"},
            "en": {"name": "The default language is the base name"},
            "fr": {"name": "Not a configured language"},
        },
    )
    assert category.translations == {"es": {"name": "Parques"}}
    with pytest.raises(ProcessError):
        taxonomy.save_category(
            admin, category, name="Parks", slug=None, position=None, translations={"es": {"name": "x" * 121}}
        )
    # None leaves them as they are.
    taxonomy.save_category(admin, category, name="Parks", slug=None, position=None, translations=None)
    assert category.translations == {"es": {"name": "Parques"}}


def test_the_city_wide_flag_is_locked_while_a_process_with_the_district_votes(admin, make_process):
    process = make_process(Phase.VOTING)
    district = db.session.get(District, process.budgets[0].district_id)
    with pytest.raises(ProcessError) as refused:
        _district(admin, district, name=district.name, slug=district.slug, is_citywide=True)
    assert refused.value.field == "is_citywide" and not district.is_citywide
    _district(admin, district, name="Renamed while voting", slug=district.slug)  # the rest may change
    db.session.get(Process, process.id).phase = Phase.RESULTS
    assert _district(admin, district, name=district.name, slug=district.slug, is_citywide=True).is_citywide


def test_what_uses_a_district_keeps_it(admin, make_process, make_project, make_user, make_district):
    process = make_process(Phase.REVIEW)
    district = db.session.get(District, process.budgets[0].district_id)
    make_project(process)
    make_user(district_id=district.id)
    assert taxonomy.uses(district) == [
        ("budgets of processes", 1),
        ("ballot projects", 1),
        ("people who live there", 1),
    ]
    with pytest.raises(ProcessError, match="budgets of processes: 1"):
        taxonomy.delete(admin, district)
    assert db.session.get(District, district.id) is not None
    unused = db.session.get(District, make_district().id)
    taxonomy.delete(admin, unused)
    assert db.session.get(District, unused.id) is None
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == unused.id)) == (
        "district.deleted"
    )


def test_what_uses_a_category_keeps_it(admin, make_process, make_project, make_proposal, make_category):
    in_process, on_project, on_proposal, unused = (
        db.session.get(Category, make_category().id) for _ in range(4)
    )
    process = db.session.get(Process, make_process(Phase.PROPOSALS).id)
    process.categories = [in_process]
    make_project(process, category_id=on_project.id)
    make_proposal(process, category_id=on_proposal.id)
    assert taxonomy.uses(in_process) == [("processes", 1)]
    assert taxonomy.uses(on_project) == [("ballot projects", 1)]
    assert taxonomy.uses(on_proposal) == [("proposals", 1)]
    for used in (in_process, on_project, on_proposal):
        with pytest.raises(ProcessError):
            taxonomy.delete(admin, used)
    taxonomy.delete(admin, unused)
    assert db.session.scalar(select(Project.category_id)) == on_project.id


def test_every_table_that_points_at_a_district_or_category_has_a_name(app):
    pointing = {
        table.name
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table.name in ("districts", "categories")
    }
    assert pointing == set(taxonomy.USED_BY)
