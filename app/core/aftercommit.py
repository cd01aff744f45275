"""Work that must wait for the request's transaction: run after a commit, or undone after a rollback.

E-mail goes out only once what it talks about is saved; a file written for a record that was rolled
back is removed again.
"""

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

_COMMIT, _ROLLBACK = "after_commit_calls", "after_rollback_calls"


def _session() -> Session:
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that the coming commit is a real one and fires the hooks
    return session


def on_commit(call: Callable[[], None]) -> None:
    """Run `call` once the current transaction commits; drop it if the transaction rolls back."""
    _session().info.setdefault(_COMMIT, []).append(call)


def on_rollback(call: Callable[[], None]) -> None:
    """Run `call` if the current transaction rolls back (e.g. remove a file written for it)."""
    _session().info.setdefault(_ROLLBACK, []).append(call)


@event.listens_for(Session, "after_commit")
def _run_commit_hooks(session: Session) -> None:
    session.info.pop(_ROLLBACK, None)
    for call in session.info.pop(_COMMIT, []):
        call()


@event.listens_for(Session, "after_transaction_end")
def _run_rollback_hooks(session: Session, transaction) -> None:
    # After a commit, `after_commit` has already emptied both lists; anything left was rolled back.
    if transaction.parent is None:
        session.info.pop(_COMMIT, None)
        for call in session.info.pop(_ROLLBACK, []):
            call()
