"""Voting: eligibility, ballots, receipts, census lists, voter codes and paper ballots.

`bp` holds the voter's pages (`voting.start`, `voting.ballot`, …), `admin_bp` the pages that run a
vote (`voting_admin.overview`, census, codes, paper entry, turnout). Importing this package also
connects voting's vetoes on process changes (hooks.py). For other features: services.py.
"""

from app.voting import ballot_views, hooks  # noqa: F401  (ballot pages on bp; signal receivers)
from app.voting.admin_views import admin_bp
from app.voting.views import bp

__all__ = ["admin_bp", "bp"]
