"""Notifications: in-app rows, e-mail after commit by kind, settings, unsubscribe links."""

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import delete_account
from app.core.tokens import TokenError
from app.extensions import db
from app.notifications import services
from app.notifications.models import Notification
from tests.conftest import PASSWORD


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def person(ctx, make_user):
    return db.session.get(User, make_user().id)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notification))


def test_notify_stores_and_emails_after_commit_only(person, outbox):
    services.notify([person], "status", "Your proposal is on the ballot.", "/proposals/1")
    assert _count() == 1 and outbox == []
    db.session.commit()
    (msg,) = outbox
    assert msg["To"] == person.email and msg["Subject"] == "Your proposal is on the ballot."
    assert "http://localhost/proposals/1" in msg.get_content()
    assert msg["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_nothing_is_sent_for_a_rolled_back_change(person, outbox):
    services.notify([person], "status", "Never happened", "/")
    db.session.rollback()
    assert outbox == [] and _count() == 0


def test_turning_email_off_keeps_the_in_app_list(person, outbox):
    services.set_email_choices(person, {"comment": False})
    services.notify([person], "comment", "New comment", "/")
    services.notify([person], "status", "New status", "/")
    db.session.commit()
    assert [m["Subject"] for m in outbox] == ["New status"] and _count() == 2
    assert services.email_choices(person)["comment"] is False


def test_unverified_people_get_no_email(ctx, make_user, outbox):
    unverified = db.session.get(User, make_user(verified=False).id)
    services.notify([unverified], "status", "Hello", "/")
    db.session.commit()
    assert outbox == [] and _count() == 1


def test_each_person_is_told_once_and_never_about_their_own_act(ctx, make_user):
    one, two = (db.session.get(User, make_user().id) for _ in range(2))
    assert services.notify([one, one, two, None], "status", "Hi", "/", skip=two) == 1


def test_unsubscribe_tokens_name_the_person_and_kind(person):
    token = services.unsubscribe_token(person, "reply")
    assert services.read_unsubscribe_token(token) == (person, "reply")
    with pytest.raises(TokenError):
        services.read_unsubscribe_token(token + "x")
    with pytest.raises(TokenError):
        services.read_unsubscribe_token(services.unsubscribe_token(person, "no-such-kind"))


def test_all_turns_every_kind_off(person):
    services.set_email_choices(person, {services.ALL: False})
    assert not any(services.email_choices(person).values())


def test_unread_and_mark_all_read(person):
    services.notify([person], "status", "One", "/")
    services.notify([person], "status", "Two", "/")
    assert services.unread_count(person) == 2
    services.mark_all_read(person)
    assert services.unread_count(person) == 0


def test_messages_are_in_the_readers_language(ctx, make_user):
    from flask_babel import lazy_gettext as _l

    reader = db.session.get(User, make_user(locale="es").id)
    services.notify([reader], "status", _l("Hello %(name)s", name="Ana"), "/")
    assert db.session.scalar(select(Notification.message)) == "Hello Ana"  # no catalogue: msgid kept


def test_deleting_an_account_removes_its_notifications(person):
    services.notify([person], "status", "Hi", "/")
    services.set_email_choices(person, {"status": False})
    delete_account(person, PASSWORD)
    assert _count() == 0
