"""People and roles, and the audit log, as an administrator."""

from sqlalchemy import select

from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.extensions import db


def test_admin_makes_a_resident_an_officer_and_the_audit_log_shows_it(app, login, make_user):
    client, _ = login(Role.ADMIN, display_name="Ada")
    person = make_user(display_name="Lucia")
    resp = client.post(f"/admin/users/{person.id}", data={"role": "officer"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.get(User, person.id).role == Role.OFFICER
    log = client.get("/admin/audit").text
    assert "user.role_changed" in log and "Lucia" in log and "resident → officer" in log and "Ada" in log
    assert "resident → officer" in client.get(f"/admin/users/{person.id}").text


def test_a_role_outside_the_list_is_refused(app, login, make_user):
    client, _ = login(Role.ADMIN)
    person = make_user()
    resp = client.post(f"/admin/users/{person.id}", data={"role": "superuser"})
    assert resp.status_code == 200 and 'id="role-error"' in resp.text
    with app.app_context():
        assert db.session.scalar(select(AuditEvent)) is None


def test_the_last_admin_cannot_demote_themselves(login):
    client, admin = login(Role.ADMIN)
    resp = client.post(f"/admin/users/{admin.id}", data={"role": "resident"})
    assert "at least one administrator" in resp.text


def test_user_list_filters_by_text_and_role(login, make_user):
    client, _ = login(Role.ADMIN, display_name="Ada")
    make_user(display_name="Officer Olga", role=Role.OFFICER)
    make_user(display_name="Resident Rui")
    page = client.get("/admin/users?role=officer").text
    assert "Officer Olga" in page and "Resident Rui" not in page
    page = client.get("/admin/users?q=rui").text
    assert "Resident Rui" in page and "Officer Olga" not in page
    assert "Nobody matches" in client.get("/admin/users?q=%25_%25").text  # wildcards are literal


def test_audit_log_filters(app, login, make_user):
    client, _ = login(Role.ADMIN, display_name="Ada")
    a, b = make_user(display_name="Alpha"), make_user(display_name="Beta")
    client.post(f"/admin/users/{a.id}", data={"role": "officer"})
    client.post(f"/admin/users/{b.id}", data={"role": "admin"})
    page = client.get("/admin/audit?actor=ada&action=user.role").text
    assert "Alpha" in page and "Beta" in page
    assert "No events yet." in client.get("/admin/audit?action=proposal").text
    assert "No events yet." in client.get("/admin/audit?since=2999-01-01").text


def test_user_list_uses_a_fixed_number_of_queries(app, login, make_user):
    client, _ = login(Role.ADMIN)
    from tests.web.query_counter import count_queries

    few = count_queries(app, lambda: client.get("/admin/users"))
    for _ in range(15):
        make_user()
    many = count_queries(app, lambda: client.get("/admin/users"))
    assert many == few
