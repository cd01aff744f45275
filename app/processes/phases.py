"""The names of the phases, as people read them."""

from flask_babel import lazy_gettext as _l

PHASE_LABELS = {
    "draft": _l("Draft"),
    "proposals": _l("Proposals"),
    "review": _l("Review"),
    "voting": _l("Voting"),
    "results": _l("Results"),
    "delivery": _l("Delivery"),
    "closed": _l("Closed"),
}
