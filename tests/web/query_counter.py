"""Count the SQL statements a request runs."""

from collections.abc import Callable

from sqlalchemy import event

from app.extensions import db


def count_queries(app, call: Callable[[], object]) -> int:
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return len(statements)
