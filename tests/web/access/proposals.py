from app.processes.models import Phase
from app.proposals.models import ProposalStatus
from tests.web.access import (
    BAD_TOKEN,
    OFFICER,
    OFFICER_REDIRECT,
    PUBLIC,
    SIGNED_IN,
    SIGNED_IN_REDIRECT,
)

# Someone else's proposal or comment: only its author may change it (tested in tests/web/).
AUTHOR_ONLY = {"anonymous": 302, "resident": 403, "officer": 403, "admin": 403}
OFFICER_BAD_FORM = {"anonymous": 302, "resident": 403, "officer": 400, "admin": 400}
PROPOSAL = {"proposal_id": "@p_proposal"}

ROWS = {
    "proposals.index": ("GET", {"slug": "@p_process_slug"}, PUBLIC),
    "proposals.new": ("GET", {"slug": "@p_process_slug"}, SIGNED_IN),
    "proposals.mine": ("GET", {}, SIGNED_IN),
    "proposals.show": ("GET", PROPOSAL, PUBLIC),
    "proposals.edit": ("GET", PROPOSAL, AUTHOR_ONLY),
    "proposals.publish": ("POST", PROPOSAL, SIGNED_IN_REDIRECT),
    "proposals.withdraw": ("POST", PROPOSAL, SIGNED_IN_REDIRECT),
    "proposals.support": ("POST", PROPOSAL, SIGNED_IN_REDIRECT),
    "proposals.unsupport": ("POST", PROPOSAL, SIGNED_IN_REDIRECT),
    "proposals.follow": ("POST", PROPOSAL, SIGNED_IN_REDIRECT),
    "proposals.unfollow": ("POST", PROPOSAL, SIGNED_IN_REDIRECT),
    "proposals.delete_photo": (
        "POST",
        {"proposal_id": "@p_proposal", "image_id": "@p_image"},
        SIGNED_IN_REDIRECT,
    ),
    "proposals.comment": ("POST", PROPOSAL, SIGNED_IN),  # an empty comment: the page, with the error
    "proposals.edit_comment": ("GET", {"comment_id": "@p_comment"}, AUTHOR_ONLY),
    "proposals.delete_comment": ("POST", {"comment_id": "@p_comment"}, AUTHOR_ONLY),
    "proposals.flag": ("GET", PROPOSAL, SIGNED_IN),
    "proposals.flag_comment": ("GET", {"comment_id": "@p_comment"}, SIGNED_IN),
    "officer.dashboard": ("GET", {}, OFFICER),
    "proposals_officer.moderation_queue": ("GET", {}, OFFICER),
    "proposals_officer.moderate": (
        "POST",
        {"kind": "proposal", "target_id": "@p_proposal", "action": "dismiss"},
        OFFICER_REDIRECT,
    ),
    "proposals_officer.block": ("GET", {"user_id": "@p_author"}, OFFICER),
    "proposals_officer.unblock": ("POST", {"user_id": "@p_author"}, OFFICER_REDIRECT),
    "proposals_officer.review_queue": ("GET", {"process_id": "@p_review_process"}, OFFICER),
    "proposals_officer.review_page": ("GET", {"proposal_id": "@p_queued"}, OFFICER),
    "proposals_officer.decide": (
        "POST",
        {"proposal_id": "@p_queued", "decision": "reject"},
        OFFICER_BAD_FORM,
    ),
    "notifications.index": ("GET", {}, SIGNED_IN),
    "notifications.mark_read": ("POST", {}, SIGNED_IN_REDIRECT),
    "notifications.settings": ("GET", {}, SIGNED_IN),
    "notifications.unsubscribe": ("GET", {"token": "forged"}, BAD_TOKEN),
}


def world(make):
    process = make("make_process")(Phase.PROPOSALS)
    in_review = make("make_process")(Phase.REVIEW)
    image = make("make_image")()
    proposal = make("make_proposal")(process, photos=[image])
    queued = make("make_proposal")(in_review, status=ProposalStatus.UNDER_REVIEW)
    return {
        "@p_process_slug": process.slug,
        "@p_review_process": in_review.id,
        "@p_proposal": proposal.id,
        "@p_author": proposal.author_id,
        "@p_image": image.id,
        "@p_queued": queued.id,
        "@p_comment": make("make_comment")(proposal).id,
    }
