"""One-click unsubscribe (RFC 8058) works from a mail client: no session, no CSRF token."""

import re

import pytest

from app.config import TestConfig
from app.extensions import db
from app.notifications import services


class CsrfConfig(TestConfig):
    WTF_CSRF_ENABLED = True


@pytest.fixture
def app_config(tmp_path):
    return type("Config", (CsrfConfig,), {"UPLOAD_DIR": str(tmp_path / "uploads")})


def test_one_click_unsubscribe_needs_no_session_or_csrf_token(app, make_user, outbox):
    user = make_user()
    with app.test_request_context():
        services.notify([db.session.merge(user)], "reply", "Hello", "/")
        db.session.commit()
    url = re.search(r"<http://localhost([^>]+)>", outbox[-1]["List-Unsubscribe"]).group(1)
    mail_client = app.test_client()
    page = mail_client.get(url)  # a link checker's GET changes nothing
    assert page.status_code == 200 and "Someone replies to your comment" in page.text
    with app.app_context():
        assert services.email_choices(db.session.merge(user))["reply"] is True
    resp = mail_client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert resp.status_code == 200 and "Done" in resp.text
    with app.app_context():
        choices = services.email_choices(db.session.merge(user))
    assert choices["reply"] is False and choices["status"] is True


def test_other_forms_still_need_the_csrf_token(app, make_user):
    client = app.test_client(user=make_user())
    assert client.post("/notifications/settings", data={}).status_code == 400
