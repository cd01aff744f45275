"""Pausing Python's cyclic garbage collector around allocation-heavy, cycle-free work.

Parsing a city-wide election creates ~10^5 containers and a MES completion ~10^6; none of them form
reference cycles, but every few hundred allocations the collector walks all live containers, which
costs more than the work itself on large files. Reference counting still frees everything.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block, restoring its previous state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
