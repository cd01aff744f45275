"""What comments and follows can be about: a proposal or a ballot (later: funded) project."""

from flask import current_app

from app.notifications.services import path_for
from app.processes.models import Project
from app.proposals.models import Proposal

Target = Proposal | Project

# Pages of a project, by the feature that adds them; the first one registered is used.
PROJECT_ENDPOINTS = ("delivery.project", "voting.project", "results.project")


def target_columns(target: Target) -> dict[str, int]:
    """The column values that point a comment or follow at `target`."""
    if isinstance(target, Proposal):
        return {"proposal_id": target.id}
    if isinstance(target, Project):
        return {"project_id": target.id}
    raise TypeError(f"cannot comment on or follow {target!r}")


def where_target(model, target: Target):
    """A filter on `model` (Comment or Follow) for rows about `target`."""
    ((column, value),) = target_columns(target).items()
    return getattr(model, column) == value


def target_path(target: Target) -> str:
    """The page where `target` and its discussion are shown."""
    if isinstance(target, Proposal):
        return path_for("proposals.show", proposal_id=target.id)
    for endpoint in PROJECT_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return path_for(endpoint, **_project_url_values(endpoint, target))
    return path_for("processes.show", slug=target.process.slug)


def _project_url_values(endpoint: str, project: Project) -> dict:
    if endpoint == "voting.project":  # the ballot's project page lives under its process and district
        return {"slug": project.process.slug, "district": project.district.slug, "project_id": project.id}
    return {"project_id": project.id}
