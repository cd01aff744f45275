from datetime import date

from app.delivery.models import DeliveryStatus
from tests.web.access import OFFICER, OFFICER_REDIRECT, PUBLIC, SIGNED_IN, SIGNED_IN_REDIRECT

# An empty form: signed-in people get the page back with the errors.
SIGNED_IN_BAD_FORM = {"anonymous": 302, "resident": 400, "officer": 400, "admin": 400}
OFFICER_BAD_FORM = {"anonymous": 302, "resident": 403, "officer": 400, "admin": 400}
PROJECT = {"project_id": "@d_project"}
RECORD = {"delivery_id": "@d_record"}

ROWS = {
    "delivery.index": ("GET", {}, PUBLIC),
    "delivery.dashboard": ("GET", {}, PUBLIC),
    "delivery.process": ("GET", {"slug": "@d_slug"}, PUBLIC),
    "delivery.project": ("GET", PROJECT, PUBLIC),
    "delivery.follow": ("POST", PROJECT, SIGNED_IN_REDIRECT),
    "delivery.unfollow": ("POST", PROJECT, SIGNED_IN_REDIRECT),
    "delivery.comment": ("POST", PROJECT, SIGNED_IN_BAD_FORM),
    "delivery.offer": ("GET", PROJECT, SIGNED_IN),
    "delivery.report": ("GET", PROJECT, SIGNED_IN),
    "delivery.rate": ("GET", PROJECT, SIGNED_IN),
    "delivery_admin.process": ("GET", {"process_id": "@d_process"}, OFFICER),
    "delivery_admin.ensure": ("POST", {"process_id": "@d_process"}, OFFICER_REDIRECT),
    "delivery_admin.edit": ("GET", RECORD, OFFICER),
    "delivery_admin.milestone": ("GET", RECORD, OFFICER),
    "delivery_admin.delete_milestone": ("POST", {"milestone_id": "@d_milestone"}, OFFICER_REDIRECT),
    "delivery_admin.new_update": ("GET", RECORD, OFFICER),
    "delivery_admin.offers": ("GET", {}, OFFICER),
    "delivery_admin.answer_offer": ("POST", {"offer_id": "@d_offer"}, OFFICER_BAD_FORM),
    "delivery_admin.reports": ("GET", {}, OFFICER),
    "delivery_admin.answer_report": ("POST", {"report_id": "@d_report"}, OFFICER_BAD_FORM),
    "api.process_delivery": ("GET", {"slug": "@d_slug"}, PUBLIC),
    "api.delivery_project": ("GET", PROJECT, PUBLIC),
}


def world(make):
    record = make("make_delivery")(
        status=DeliveryStatus.IN_PROGRESS, milestones=(("Trees delivered", date(2026, 1, 5), None),)
    )
    return {
        "@d_slug": record.process.slug,
        "@d_process": record.process_id,
        "@d_project": record.project_id,
        "@d_record": record.id,
        "@d_milestone": record.milestones[0].id,
        "@d_offer": make("make_offer")(record).id,
        "@d_report": make("make_report")(record).id,
    }
