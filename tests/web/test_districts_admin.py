"""The admin's district and category pages: add, edit, delete, with errors at the field."""

from sqlalchemy import select

from app.auth.models import Role
from app.core.audit import AuditEvent
from app.extensions import db
from app.processes.models import Category, District, Phase


def _district(**overrides) -> dict:
    return {"name": "Old Town", "slug": "", "position": "", "name_es": "Casco Antiguo", **overrides}


def _load(app, model, **where):
    with app.app_context():
        return db.session.scalar(select(model).filter_by(**where))


def test_admin_adds_a_district_with_a_spanish_name_then_edits_it(app, login, make_district):
    make_district("Harbour")  # position 1: the new one goes last
    client, _ = login(Role.ADMIN)
    assert "Name in Spanish" in client.get("/admin/districts/new").text
    resp = client.post("/admin/districts/new", data=_district(is_citywide="y"))
    assert resp.status_code == 302 and resp.headers["Location"] == "/admin/districts/"
    district = _load(app, District, slug="old-town")
    assert (district.name, district.is_citywide, district.position) == ("Old Town", True, 2)
    assert district.translations == {"es": {"name": "Casco Antiguo"}}
    listing = client.get("/admin/districts/").text
    assert "The district is saved." in listing and "Casco Antiguo" in listing and "City-wide pot" in listing
    form = client.get(f"/admin/districts/{district.id}").text
    assert 'value="Casco Antiguo"' in form and 'value="old-town"' in form and "can be deleted" in form
    resp = client.post(
        f"/admin/districts/{district.id}",
        data=_district(name="Old Town Centre", slug="old-town", position="0"),
    )
    assert resp.status_code == 302
    district = _load(app, District, id=district.id)
    assert (district.name, district.is_citywide, district.position) == ("Old Town Centre", False, 0)
    listing = client.get("/admin/districts/").text
    assert listing.index("Old Town Centre") < listing.index("Harbour")  # position 0 now comes first
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["district.created", "district.updated"]


def test_bad_district_input_is_explained_at_each_field_and_kept(app, login):
    client, _ = login(Role.ADMIN)
    resp = client.post(
        "/admin/districts/new",
        data=_district(name="", slug="Old Town!", position="-3", name_es="C" * 121),
    )
    assert resp.status_code == 200 and "Please check the form" in resp.text
    for field in ("name", "slug", "position", "name_es"):
        assert f'id="{field}-error"' in resp.text, field
    assert "Enter a name." in resp.text and "Enter a number from 0 to 9999." in resp.text
    assert "Use lower-case letters, digits and single hyphens" in resp.text
    # What was typed is kept (the web address name lower-cased, as on the process form).
    assert 'value="old town!"' in resp.text and "C" * 121 in resp.text and 'value="-3"' in resp.text
    assert _load(app, District) is None


def test_a_web_address_name_in_use_is_refused_at_its_field(app, login, make_district):
    make_district("Harbour", slug="old-town")
    client, _ = login(Role.ADMIN)
    resp = client.post("/admin/districts/new", data=_district())  # the slug made from the name is taken
    assert 'id="slug-error"' in resp.text
    assert "Another district already uses the web address name “old-town”." in resp.text
    assert 'value="Old Town"' in resp.text and 'value="Casco Antiguo"' in resp.text
    resp = client.post("/admin/districts/new", data=_district(slug="old-town-2"))
    assert resp.status_code == 302
    # A category may have the slug of a district: they are addressed apart.
    resp = client.post("/admin/categories/new", data={"name": "Old town heritage", "slug": "old-town"})
    assert resp.status_code == 302


def test_a_district_in_use_is_kept_and_the_page_says_why(app, login, make_process, make_user):
    process = make_process(Phase.PROPOSALS)
    district_id = process.budgets[0].district_id
    make_user(district_id=district_id)
    client, _ = login(Role.ADMIN)
    form = client.get(f"/admin/districts/{district_id}").text
    assert "in use: budgets of processes: 1; people who live there: 1. You can rename it instead." in form
    assert "Delete this district" not in form
    resp = client.post(f"/admin/districts/{district_id}/delete")
    assert resp.headers["Location"] == f"/admin/districts/{district_id}"
    page = client.get(resp.headers["Location"]).text
    top = page.index('class="flash flash-error"')
    assert top < page.index("<h1>") and "This district cannot be deleted while it is in use" in page[top:]
    assert _load(app, District, id=district_id) is not None


def test_an_unused_district_is_deleted(app, login, make_district):
    district = make_district("Hillside")
    client, _ = login(Role.ADMIN)
    assert "Delete this district" in client.get(f"/admin/districts/{district.id}").text
    resp = client.post(f"/admin/districts/{district.id}/delete", follow_redirects=True)
    assert "The district is deleted." in resp.text
    assert _load(app, District, id=district.id) is None
    event = _load(app, AuditEvent, action="district.deleted")
    assert event.target_label == "Hillside" and event.before["name"] == "Hillside"


def test_admin_adds_edits_and_deletes_a_category(app, login):
    client, _ = login(Role.ADMIN)
    data = {"name": "Parks and nature", "slug": "parks", "position": "", "name_es": "Parques"}
    assert client.post("/admin/categories/new", data=data).status_code == 302
    category = _load(app, Category, slug="parks")
    assert category.translations == {"es": {"name": "Parques"}} and category.position == 0
    resp = client.post(f"/admin/categories/{category.id}", data={**data, "name": "P", "name_es": ""})
    assert resp.status_code == 200 and 'id="name-error"' in resp.text and 'value="P"' in resp.text
    resp = client.post(f"/admin/categories/{category.id}", data={**data, "name_es": ""})
    assert resp.status_code == 302 and _load(app, Category, id=category.id).translations == {}
    assert "Parks and nature" in client.get("/admin/categories/").text
    resp = client.post(f"/admin/categories/{category.id}/delete", follow_redirects=True)
    assert "The category is deleted." in resp.text and _load(app, Category, id=category.id) is None


def test_a_category_a_proposal_uses_is_kept(app, login, make_process, make_proposal, make_category):
    category = make_category("Streets")
    make_proposal(make_process(Phase.PROPOSALS), category_id=category.id)
    client, _ = login(Role.ADMIN)
    page = client.post(f"/admin/categories/{category.id}/delete", follow_redirects=True).text
    assert "This category cannot be deleted while it is in use: proposals: 1." in page
    assert _load(app, Category, id=category.id) is not None


def test_the_admin_menu_links_districts_and_categories(login):
    client, _ = login(Role.ADMIN)
    nav = client.get("/admin/processes/").text
    assert 'href="/admin/districts/"' in nav and 'href="/admin/categories/"' in nav
