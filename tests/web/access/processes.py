from app.processes.models import Phase
from tests.web.access import ADMIN, ADMIN_REDIRECT, NOT_FOUND, PUBLIC

ADMIN_BAD_FORM = {"anonymous": 302, "resident": 403, "officer": 403, "admin": 400}
DRAFT_HIDDEN = {"anonymous": 404, "resident": 404, "officer": 404, "admin": 200}

ROWS = {
    "processes.index": ("GET", {}, PUBLIC),
    "processes.show": ("GET", {"slug": "@process_slug"}, PUBLIC),
    "processes_admin.index": ("GET", {}, ADMIN),
    "processes_admin.new": ("GET", {}, ADMIN),
    "processes_admin.show": ("GET", {"process_id": "@process"}, ADMIN),
    "processes_admin.edit": ("GET", {"process_id": "@process"}, ADMIN),
    "processes_admin.phase": ("POST", {"process_id": "@process"}, ADMIN_BAD_FORM),
    "processes_admin.project_list": ("GET", {"process_id": "@process"}, ADMIN),
    "processes_admin.project_form": ("GET", {"process_id": "@process", "project_id": "@project"}, ADMIN),
    "processes_admin.delete_project": (
        "POST",
        {"process_id": "@process", "project_id": "@project"},
        ADMIN_REDIRECT,
    ),
    "districts_admin.index": ("GET", {}, ADMIN),
    "districts_admin.new": ("GET", {}, ADMIN),
    "districts_admin.edit": ("GET", {"district_id": "@district"}, ADMIN),
    # The district has a budget in the process, so the admin is sent back with the reason.
    "districts_admin.delete": ("POST", {"district_id": "@district"}, ADMIN_REDIRECT),
    "categories_admin.index": ("GET", {}, ADMIN),
    "categories_admin.new": ("GET", {}, ADMIN),
    "categories_admin.edit": ("GET", {"category_id": "@category"}, ADMIN),
    "categories_admin.delete": ("POST", {"category_id": "@category"}, ADMIN_REDIRECT),
}


def world(make):
    process = make("make_process")(Phase.PROPOSALS)
    draft = make("make_process")(Phase.DRAFT)
    return {
        "@process": process.id,
        "@process_slug": process.slug,
        "@draft_slug": draft.slug,
        "@project": make("make_project")(process).id,
        "@district": process.budgets[0].district_id,
        "@category": make("make_category")().id,
    }


# Unused policies are kept importable for the draft case, tested in tests/web/test_processes.py.
__all__ = ["DRAFT_HIDDEN", "NOT_FOUND"]
