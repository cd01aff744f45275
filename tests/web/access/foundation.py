from tests.web.access import (
    ADMIN,
    ADMIN_REDIRECT,
    ALWAYS_REDIRECT,
    BAD_TOKEN,
    GUESTS,
    PUBLIC,
    SIGNED_IN,
    SIGNED_IN_REDIRECT,
)

ROWS = {
    "static": ("GET", {"filename": "css/app.css"}, PUBLIC),
    "core.home": ("GET", {}, PUBLIC),
    "core.healthz": ("GET", {}, PUBLIC),
    "core.set_language": ("POST", {}, dict.fromkeys(("anonymous", "resident", "officer", "admin"), 400)),
    "core.readyz": ("GET", {}, dict.fromkeys(("anonymous", "resident", "officer", "admin"), 503)),
    "core.media": ("GET", {"name": "@image"}, PUBLIC),
    "auth.register": ("GET", {}, GUESTS),
    "auth.login": ("GET", {}, GUESTS),
    "auth.logout": ("POST", {}, ALWAYS_REDIRECT),
    "auth.verify_email": ("GET", {"token": "forged"}, BAD_TOKEN),
    "auth.resend_verification": ("POST", {}, SIGNED_IN_REDIRECT),
    "auth.forgot_password": ("GET", {}, PUBLIC),
    "auth.reset_password": ("GET", {"token": "forged"}, BAD_TOKEN),
    "auth.account": ("GET", {}, SIGNED_IN),
    "auth.change_password": ("GET", {}, SIGNED_IN),
    "auth.delete_account": ("GET", {}, SIGNED_IN),
    "admin.dashboard": ("GET", {}, ADMIN),
    "admin.users": ("GET", {}, ADMIN),
    "admin.user": ("GET", {"user_id": "@resident"}, ADMIN),
    "admin.audit": ("GET", {}, ADMIN),
    "admin.mail": ("GET", {}, ADMIN),
    # A failed message is put back in the queue; with no failed message, the admin is told so.
    "admin.retry_mail": ("POST", {"message_id": "@failed_mail"}, ADMIN_REDIRECT),
    "admin.retry_all_mail": ("POST", {}, ADMIN_REDIRECT),
}


def world(make):
    return {
        "@resident": make("make_user")().id,
        "@image": make("make_image")().filename("thumb"),
        "@failed_mail": make("make_outbox_message")(status="failed").id,
    }
