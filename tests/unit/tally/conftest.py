"""Fixtures for the tally tests: where the real Pabulib elections live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PABULIB_DIR = Path(
    os.environ.get("PABULIB_DIR") or Path(__file__).resolve().parents[3] / ".." / "shared" / "pabulib"
)
SLOW = os.environ.get("TALLY_SLOW") == "1"


def pabulib_path(name: str) -> Path:
    """Path of a Pabulib file by stem; skips the test when the folder or file is absent."""
    path = PABULIB_DIR / f"{name}.pb"
    if not path.is_file():
        pytest.skip(f"{path} not found: set PABULIB_DIR to the folder of Pabulib .pb files")
    return path
