"""Voter classes for the batch MES engine (``mes_batch``): the supporters of a project grouped by which
funded projects they approve, so that each class holds voters with the same money in every run.

The distinct approval sets are unpacked once into a 0/1 matrix (ballot x project). A project's classes
for a funded set are refined from those of the longest prefix of the winner sequence already known (one
bit per newly funded project, renumbered densely) and kept for every later block of runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see mes_batch: set before numpy is first imported

import numpy as np

from app.tally.mes_problem import MesProblem


@dataclass
class Classes:
    """Classes of q's supporters given the funded projects: ``member`` (funded x classes, 0/1) says which
    funded projects ``fidx`` a class approves (only those some supporter of q approves), ``weight`` how
    many voters it holds, ``labels`` each supporter's class."""

    fidx: np.ndarray
    member: np.ndarray
    weight: np.ndarray
    labels: np.ndarray


class Voters:
    """Distinct approval sets with multiplicities, each project's supporters among them, and the voter
    classes of every (project, funded set) met so far (shared by every block of runs)."""

    def __init__(self, prob: MesProblem) -> None:
        m = len(prob.ids)
        width = (m + 7) // 8 or 1
        raw = b"".join(mask.to_bytes(width, "little") for mask in prob.ballots)
        bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8).reshape(-1, width), axis=1, bitorder="little")
        self.rows = np.ascontiguousarray(bits[:, :m])  # distinct ballot x project, 0/1
        self.cols = np.ascontiguousarray(self.rows.T)  # project x distinct ballot
        mult = np.fromiter(prob.ballots.values(), dtype=np.float64, count=len(prob.ballots))
        self.sup = [np.flatnonzero(col) for col in self.cols]
        self.wsup = [mult[sup] for sup in self.sup]
        self.records: dict[tuple[int, int], Classes] = {}
        self.local: dict[int, np.ndarray] = {}
        self.prob = prob

    def record(self, q: int, funded: int, order: list[int]) -> Classes:
        """q's supporters grouped by which funded projects they approve; ``order`` lists the funded
        projects (in any order): the classes are refined from the longest prefix already known."""
        rec = self.records.get((q, funded))
        if rec is not None:
            return rec
        known, j = funded, len(order)
        while j:
            j -= 1
            known ^= 1 << order[j]
            rec = self.records.get((q, known))
            if rec is not None:
                break
        if rec is None:
            weight = np.array([self.wsup[q].sum()])
            rec = Classes(np.zeros(0, dtype=np.int64), np.zeros((0, 1), dtype=np.uint8), weight, None)
            self.records[q, 0] = rec
        rec = self.records[q, funded] = self._split(q, rec, order[j:])
        return rec

    def _split(self, q: int, rec: Classes, projects: list[int]) -> Classes:
        """Refine q's classes by approval of the newly funded ``projects``: a class's new label is its
        old one followed by one bit per project, renumbered densely."""
        local = self._local(q)
        rows = local[:, projects]
        hit = rows.any(axis=0)
        if not hit.any():
            return rec
        added = [p for p, h in zip(projects, hit.tolist(), strict=True) if h]
        rows = rows[:, hit].astype(np.float64)
        n = local.shape[0]
        code = np.zeros(n, dtype=np.int64) if rec.labels is None else rec.labels
        span = len(rec.weight)
        for at in range(0, len(added), 24):  # 24 bits at a time: exact in float64, labels below 2**63
            chunk = rows[:, at : at + 24]
            bits = chunk @ (1 << np.arange(chunk.shape[1] - 1, -1, -1)).astype(np.float64)
            code = code * (1 << chunk.shape[1]) + bits.astype(np.int64)
            span <<= chunk.shape[1]
            if span > 1 << 40 and at + 24 < len(added):
                _, code = np.unique(code, return_inverse=True)
                span = int(code.max()) + 1
        if span <= 4 * n + 256:
            weight = np.bincount(code, weights=self.wsup[q], minlength=span)
            keep = np.flatnonzero(weight)
            remap = np.zeros(span, dtype=np.int64)
            remap[keep] = np.arange(len(keep))
            labels, weight = remap[code], weight[keep]
        else:
            _, labels = np.unique(code, return_inverse=True)
            weight = np.bincount(labels, weights=self.wsup[q])
        rep = np.zeros(len(weight), dtype=np.int64)
        rep[labels] = np.arange(n)
        fidx = np.append(rec.fidx, added)
        return Classes(fidx, local[rep][:, fidx].T, weight, labels)

    def _local(self, q: int) -> np.ndarray:
        """supporter of q x project, 0/1."""
        found = self.local.get(q)
        if found is None:
            found = self.local[q] = self.rows[self.sup[q]]
        return found
