"""Signals other features listen to, so that auth need not know them."""

from blinker import Namespace

_signals = Namespace()

#: Sent with the user (already anonymised, not yet committed) when an account is deleted.
account_deleted = _signals.signal("account-deleted")
