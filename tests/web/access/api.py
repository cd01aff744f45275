from app.processes.models import Phase
from tests.web.access import PUBLIC

ROWS = {
    "api.index": ("GET", {}, PUBLIC),
    "api.openapi": ("GET", {}, PUBLIC),
    "api.processes": ("GET", {}, PUBLIC),
    "api.process": ("GET", {"slug": "@api_process"}, PUBLIC),
    "api.process_projects": ("GET", {"slug": "@api_process"}, PUBLIC),
    "api.districts": ("GET", {}, PUBLIC),
    "api.categories": ("GET", {}, PUBLIC),
}


def world(make):
    return {"@api_process": make("make_process")(Phase.VOTING).slug}
