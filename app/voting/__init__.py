"""Voting: eligibility, ballots, receipts, census lists, voter codes and paper ballots.

Importing this package connects voting's vetoes on process changes (hooks.py). For other
features: services.py.
"""

from app.voting import hooks  # noqa: F401  (connects the signal receivers)
