"""A portable backup of the whole database: gzip'd JSON lines, one table after another.

The same file restores into SQLite or PostgreSQL (so it also moves a city from one to the other).
Restore needs an empty database at the same migration as the dump: run `flask db upgrade` first.
"""

import base64
import gzip
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path

import sqlalchemy as sa

from app.core.migrations import migration_heads
from app.extensions import db

FORMAT = "pb-backup"
BATCH = 1000


class BackupError(RuntimeError):
    """The backup cannot be written or restored; the message says why."""


def _encode(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"b64": base64.b64encode(value).decode()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoder(column: sa.Column):
    python_type = getattr(column.type, "python_type", None) if not isinstance(column.type, sa.JSON) else None

    def decode(value):
        if value is None:
            return None
        if python_type is datetime:
            return datetime.fromisoformat(value)
        if python_type is date:
            return date.fromisoformat(value)
        if isinstance(value, dict) and "b64" in value and python_type is bytes:
            return base64.b64decode(value["b64"])
        return value

    return decode


def _tables() -> list[sa.Table]:
    return list(db.metadata.sorted_tables)


def dump(path: Path) -> dict[str, int]:
    """Write every table's rows to `path`; returns the row count per table."""
    counts = {}
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"format": FORMAT, "version": 1, "schema": sorted(migration_heads())}) + "\n")
        for table in _tables():
            columns = [c.name for c in table.columns]
            out.write(json.dumps({"table": table.name, "columns": columns}) + "\n")
            counts[table.name] = 0
            for row in db.session.execute(sa.select(table).order_by(*table.primary_key.columns)):
                out.write(json.dumps([_encode(v) for v in row]) + "\n")
                counts[table.name] += 1
    return counts


def _read(path: Path) -> Iterator[dict | list]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        for line in source:
            yield json.loads(line)


def restore(path: Path) -> dict[str, int]:
    """Load a dump into an empty database at the dump's schema version. Flushes; the caller commits."""
    lines = _read(path)
    header = next(lines, None)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup made by `flask backup dump`.")
    if set(header["schema"]) != set(migration_heads()):
        raise BackupError(
            f"The backup is of schema {header['schema']}; this code expects {sorted(migration_heads())}."
        )
    for table in _tables():
        if db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(
                f"The database is not empty (table {table.name} has rows). Restore into a new database."
            )
    counts: dict[str, int] = {}
    table, columns, batch = None, [], []
    for item in lines:
        if isinstance(item, dict):
            _insert(table, batch)
            table, batch = db.metadata.tables[item["table"]], []
            columns = [(name, _decoder(table.c[name])) for name in item["columns"]]
            counts[table.name] = 0
            continue
        batch.append({name: decode(value) for (name, decode), value in zip(columns, item, strict=True)})
        counts[table.name] += 1
        if len(batch) >= BATCH:
            _insert(table, batch)
            batch = []
    _insert(table, batch)
    _reset_sequences()
    return counts


def _insert(table: sa.Table | None, rows: list[dict]) -> None:
    if table is not None and rows:
        db.session.execute(table.insert(), rows)


def _reset_sequences() -> None:
    """PostgreSQL: move each id sequence past the restored rows."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.c and isinstance(table.c.id.type, sa.Integer) and table.c.id.primary_key:
            highest = sa.select(sa.func.max(table.c.id)).scalar_subquery()
            sequence = sa.func.pg_get_serial_sequence(table.name, "id")
            db.session.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 0) + 1, False)))
