from app.extensions import db
from app.processes.models import OutcomeRule, Process
from app.results import services
from tests.factories_results import BUDGET, COSTS, VOTES
from tests.web.access import ADMIN, PUBLIC

ADMIN_BAD_FORM = {"anonymous": 302, "resident": 403, "officer": 403, "admin": 400}

ROWS = {
    "results.show": ("GET", {"slug": "@slug"}, PUBLIC),
    "results.receipt": ("GET", {"slug": "@slug"}, PUBLIC),
    "results.download_pb": ("GET", {"slug": "@slug", "district": "@district"}, PUBLIC),
    "results.download_csv": ("GET", {"slug": "@slug", "district": "@district"}, PUBLIC),
    "results.download_json": ("GET", {"slug": "@slug", "district": "@district"}, PUBLIC),
    "results_admin.count": ("GET", {"process_id": "@process"}, ADMIN),
    "results_admin.publish": ("POST", {"process_id": "@process"}, ADMIN_BAD_FORM),
    "api.process_results": ("GET", {"slug": "@slug"}, PUBLIC),
}


def world(make):
    election = make("make_election")(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    with make("app").test_request_context():
        process = db.session.get(Process, election.process.id)
        services.count_process(process, None)
        services.publish(process, None)
        db.session.commit()
    return {"@slug": election.slug, "@district": election.district, "@process": election.process.id}
