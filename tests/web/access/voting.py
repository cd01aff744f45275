from tests.web.access import ADMIN, ALWAYS_REDIRECT, OFFICER, PUBLIC

# Casting an empty ballot: anonymous people are sent to prove who they are (not only to sign in:
# voter codes and the census list work without an account); others see the rule problem.
CAST_EMPTY = {"anonymous": 302, "resident": 200, "officer": 200, "admin": 200}

_BALLOT = {"slug": "@vote_slug", "district": "@vote_district"}

ROWS = {
    "voting.start": ("GET", {"slug": "@vote_slug"}, PUBLIC),
    "voting.code": ("POST", {"slug": "@vote_slug"}, PUBLIC),
    "voting.census_proof": ("POST", {"slug": "@vote_slug"}, PUBLIC),
    "voting.finish": ("POST", {"slug": "@vote_slug"}, ALWAYS_REDIRECT),
    "voting.ballot": ("GET", _BALLOT, PUBLIC),
    "voting.review": ("GET", _BALLOT, ALWAYS_REDIRECT),  # no draft named: back to the ballot
    "voting.cast": ("POST", _BALLOT, CAST_EMPTY),
    "voting.done": ("GET", _BALLOT, ALWAYS_REDIRECT),
    "voting.project": ("GET", {**_BALLOT, "project_id": "@vote_project"}, PUBLIC),
    "voting_admin.overview": ("GET", {"process_id": "@vote"}, ADMIN),
    "voting_admin.turnout": ("GET", {"process_id": "@vote"}, ADMIN),
    "voting_admin.census_list": ("GET", {"process_id": "@vote"}, ADMIN),
    "voting_admin.voter_codes": ("GET", {"process_id": "@vote"}, ADMIN),
    "voting_admin.paper_entry": ("GET", {"process_id": "@vote"}, OFFICER),
}


def world(make):
    vote = make("make_vote")(allow_paper=True)
    return {
        "@vote": vote.id,
        "@vote_slug": vote.slug,
        "@vote_district": vote.district,
        "@vote_project": vote.ids()[0],
    }
