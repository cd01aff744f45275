"""Signals about processes, so that other features can take part without processes knowing them."""

from blinker import Namespace

_signals = Namespace()

#: Asked before a phase change: receivers get (process, target=Phase) and return a reason to refuse, or None.
phase_change_requested = _signals.signal("phase-change-requested")

#: Sent after a phase change (not yet committed): (process, previous=Phase, actor=User | None).
phase_changed = _signals.signal("phase-changed")

#: Asked before ballot settings or budgets change: (process) → a reason to refuse, or None.
settings_change_requested = _signals.signal("settings-change-requested")

#: Sent when a result is published (not yet committed): (process, project_ids=[...], actor=User | None).
#: Delivery opens a record for each funded project.
projects_funded = _signals.signal("projects-funded")
