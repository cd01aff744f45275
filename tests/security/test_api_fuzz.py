"""Property-based fuzzing of the JSON API from its own OpenAPI document (Schemathesis, in-process WSGI).

Every operation gets generated path and query parameters, valid (positive) and not (negative); each
response must not be a 5xx and must match the document: status code, content type and body schema.
Every case runs as generated, and again with its process slug swapped for each of a small seeded
world's, so that the query parameters also reach real rows (projects, districts, published results).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from app.extensions import db
from app.processes.models import OutcomeRule, Phase, Process
from app.results import services as results
from tests.factories_results import BUDGET, COSTS, VOTES

SLUGS: list[str] = []


@pytest.fixture
def api_schema(app, make_election, make_process, make_project):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    with app.test_request_context():
        process = db.session.get(Process, election.process.id)
        results.count_process(process, None)
        results.publish(process, None)
        db.session.commit()
    voting = make_process(Phase.VOTING, budgets=[5_000_00, 7_000_00])
    for budget in voting.budgets:
        make_project(voting, district_id=budget.district_id, summary="A project", address="Mill Lane")
    make_process(Phase.DRAFT)
    SLUGS[:] = [election.slug, voting.slug]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# The WSGI transport does not decode gzip, which the app sends to clients that accept it.
PLAIN = {"Accept-Encoding": "identity"}
EXAMPLES = 25  # per operation: enough to find the usual mistakes, fast enough for every CI run


def test_api_answers_every_generated_request_as_documented(api_schema):
    # Schemathesis' own pytest integration fails on pytest 9 ("'Function' object has no attribute
    # '_nodeid'"), so each operation's strategy is driven by Hypothesis directly.
    calls: dict[str, int] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        label = operation.label

        @given(case=st.one_of(*(operation.as_strategy(mode) for mode in GenerationMode)))
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        def fuzz(case):
            case.call_and_validate(headers=PLAIN)
            calls[label] = calls.get(label, 0) + 1  # noqa: B023 (fuzz runs within this iteration)
            if "slug" in (case.path_parameters or {}):
                for slug in SLUGS:
                    case.path_parameters["slug"] = slug
                    case.call_and_validate(headers=PLAIN)
                    calls[label] += 1  # noqa: B023

        fuzz()
    operations = [r.ok().label for r in api_schema.get_all_operations()]
    assert len(operations) >= 6 and set(calls) == set(operations), calls  # those without inputs run once
    assert sum(calls.values()) >= 10 * EXAMPLES
    print(f"{sum(calls.values())} fuzzed requests over {len(calls)} operations: {calls}")
