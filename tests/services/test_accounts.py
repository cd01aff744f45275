"""Account rules on a real session: registration, verification, sign-in, passwords, deletion, roles."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth import services
from app.auth.models import Role, User
from app.core.audit import AuditEvent
from app.core.tokens import TokenError
from app.db import utcnow
from app.extensions import db
from tests.conftest import PASSWORD, link_in


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_register_creates_an_unverified_resident_and_mails_after_commit(ctx, outbox):
    user = services.register_user(" Ana@Example.ORG ", "Ana", "a long password here")
    assert user.email == "ana@example.org" and user.role == Role.RESIDENT and not user.is_verified
    assert outbox == []  # nothing leaves before the commit
    db.session.commit()
    assert [m["To"] for m in outbox] == ["ana@example.org"]
    assert "/verify/" in outbox[0].get_content()


def test_a_rolled_back_registration_sends_nothing(ctx, outbox):
    services.register_user("b@example.org", "B", "a long password here")
    db.session.rollback()
    db.session.commit()
    assert outbox == [] and db.session.scalar(select(User)) is None


def test_registering_a_taken_email_creates_nothing_and_tells_the_owner(ctx, outbox, make_user):
    owner = make_user(email="taken@example.org")
    assert services.register_user("TAKEN@example.org", "Mallory", "another password!") is None
    db.session.commit()
    assert db.session.scalar(select(User).where(User.display_name == "Mallory")) is None
    assert outbox[-1]["To"] == owner.email and "already have an account" in outbox[-1]["Subject"]


def test_verification_link_confirms_the_address(ctx, outbox):
    services.register_user("c@example.org", "C", "a long password here")
    db.session.commit()
    token = link_in(outbox[-1], "/verify/").rsplit("/", 1)[1]
    user = services.verify_email(token)
    assert user.is_verified


def test_a_verification_link_for_an_old_address_is_refused(ctx, outbox):
    user = services.register_user("d@example.org", "D", "a long password here")
    db.session.commit()
    token = link_in(outbox[-1], "/verify/").rsplit("/", 1)[1]
    user.email = "new@example.org"
    with pytest.raises(TokenError):
        services.verify_email(token)


def test_authenticate_checks_the_password(ctx, make_user):
    user = make_user(email="e@example.org")
    assert services.authenticate("E@example.org", PASSWORD).id == user.id
    assert services.authenticate("e@example.org", "wrong password") is None
    assert services.authenticate("nobody@example.org", PASSWORD) is None


def test_reset_link_works_once_and_signs_out_elsewhere(ctx, outbox, make_user):
    version = make_user(email="f@example.org").session_version
    services.request_password_reset("f@example.org")
    db.session.commit()
    token = link_in(outbox[-1], "/password/reset/").rsplit("/", 1)[1]
    changed = services.reset_password(token, "a brand new password")
    assert changed.session_version == version + 1
    assert services.authenticate("f@example.org", "a brand new password") is not None
    with pytest.raises(TokenError):
        services.reset_password(token, "yet another password")


def test_reset_for_an_unknown_email_sends_nothing(ctx, outbox):
    services.request_password_reset("ghost@example.org")
    db.session.commit()
    assert outbox == []


def test_reset_links_expire(app, ctx, outbox, make_user, monkeypatch):
    make_user(email="g@example.org")
    services.request_password_reset("g@example.org")
    db.session.commit()
    token = link_in(outbox[-1], "/password/reset/").rsplit("/", 1)[1]
    monkeypatch.setitem(app.config, "RESET_TOKEN_MAX_AGE", -1)
    with pytest.raises(TokenError, match="expired"):
        services.user_for_reset_token(token)


def test_change_password_needs_the_current_one(ctx, make_user):
    user = db.session.get(User, make_user().id)
    with pytest.raises(services.AccountError):
        services.change_password(user, "not it", "a brand new password")
    services.change_password(user, PASSWORD, "a brand new password")
    assert services.authenticate(user.email, "a brand new password") is not None


def test_delete_account_removes_personal_data_and_keeps_the_row(ctx, make_user):
    user = db.session.get(User, make_user(display_name="Hana", birth_date=None).id)
    services.delete_account(user, PASSWORD, now=utcnow())
    db.session.commit()
    gone = db.session.get(User, user.id)
    assert gone.display_name == "Deleted user" and gone.email.endswith("@deleted.invalid")
    assert gone.password_hash is None and not gone.is_active
    assert services.authenticate("hana@example.org", PASSWORD) is None


def test_the_last_admin_cannot_delete_their_account(ctx, make_user):
    admin = db.session.get(User, make_user(Role.ADMIN).id)
    with pytest.raises(services.AccountError, match="only administrator"):
        services.delete_account(admin, PASSWORD)


def test_set_role_is_audited_with_before_and_after(ctx, make_user):
    admin = db.session.get(User, make_user(Role.ADMIN).id)
    user = db.session.get(User, make_user().id)
    services.set_role(admin, user, Role.OFFICER)
    db.session.commit()
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.actor_id, event.target_type, event.target_id) == (
        "user.role_changed",
        admin.id,
        "users",
        user.id,
    )
    assert event.before == {"role": "resident"} and event.after == {"role": "officer"}


def test_the_last_admin_cannot_be_demoted(ctx, make_user):
    admin = db.session.get(User, make_user(Role.ADMIN).id)
    with pytest.raises(services.AccountError, match="at least one administrator"):
        services.set_role(admin, admin, Role.RESIDENT)


def test_blocked_until_is_compared_with_the_time_given(ctx, make_user):
    user = db.session.get(User, make_user().id)
    now = utcnow()
    user.blocked_until = now + timedelta(hours=1)
    assert user.is_blocked(now) and not user.is_blocked(now + timedelta(hours=2))
