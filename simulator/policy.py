"""Which role may take which alarm step at which level: typed, loaded from a JSON file.

The backend checks every operator request against this, whatever console sent it. The shipped
default is resources/policy/default.json (documented in docs/protocol.md, section 7.10).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

POLICY_FORMAT = "lifeline-policy/1"
ACTIONS = (
    "ack",
    "shelve",
    "unshelve",
    "suppress",
    "out_of_service",
    "verify",
    "dispatch",
    "feedback",
    "close",
)
ROMAN = ("", "I", "II", "III", "IV")
ALL_LEVELS = frozenset({1, 2, 3, 4})


class PolicyError(ValueError):
    """A request the role policy refuses; the message says who may not do what, and why."""


class PolicyFileError(ValueError):
    """A policy file that breaks the format; the message names the file, field and value."""


def _levels(levels: frozenset[int]) -> str:
    return ", ".join(ROMAN[k] for k in sorted(levels)) or "none"


@dataclass(frozen=True, slots=True)
class RolePolicy:
    """Levels each role may act on, per action, and the levels at which a comment is required."""

    roles: dict[str, dict[str, frozenset[int]]]
    comment_required: dict[str, frozenset[int]]

    def levels(self, role: str, action: str) -> frozenset[int]:
        """Levels at which role may take action (empty when never)."""
        return self.roles.get(role, {}).get(action, frozenset())

    def allows(self, role: str, action: str, level: int) -> bool:
        """Whether role may take action on an alarm of level (0: no level, needs all four)."""
        granted = self.levels(role, action)
        return granted >= ALL_LEVELS if level == 0 else level in granted

    def check(self, role: str, action: str, level: int, comment: str) -> None:
        """Raise PolicyError unless role may take action at level with this comment."""
        if role not in self.roles:
            known = ", ".join(sorted(self.roles))
            raise PolicyError(f"role {role!r} is not in the backend's policy (known: {known})")
        grants = self.roles[role]
        if not any(grants.values()):
            raise PolicyError(f"role {role!r} is read only and may not {action}")
        what = f"a level {ROMAN[level]} alarm" if level else "alarms without a level"
        if not self.allows(role, action, level):
            allowed = _levels(self.levels(role, action))
            raise PolicyError(f"role {role!r} may not {action} {what} (allowed levels: {allowed})")
        required = self.comment_required.get(action, frozenset())
        needed = bool(required) if level == 0 else level in required
        if needed and not comment.strip():
            raise PolicyError(f"a comment is required to {action} {what}")

    def to_wire(self) -> dict[str, Any]:
        """The policy as the `policy` op returns it (sorted level lists)."""
        return {
            "format": POLICY_FORMAT,
            "roles": {
                role: {a: sorted(lv) for a, lv in grants.items() if lv}
                for role, grants in self.roles.items()
            },
            "comment_required": {a: sorted(lv) for a, lv in self.comment_required.items() if lv},
        }


def _level_list(raw: Any, path: str, source: str) -> frozenset[int]:
    ok = isinstance(raw, list) and all(type(v) is int and 1 <= v <= 4 for v in raw)
    if not ok:
        raise PolicyFileError(f"{source}: {path}: expected a list of levels 1..4, got {raw!r}")
    return frozenset(raw)


def _action_map(raw: Any, path: str, source: str) -> dict[str, frozenset[int]]:
    if not isinstance(raw, dict):
        raise PolicyFileError(f"{source}: {path}: expected an object, got {raw!r}")
    out = {}
    for action, levels in raw.items():
        if action not in ACTIONS:
            raise PolicyFileError(
                f"{source}: {path}.{action}: unknown action (known: {', '.join(ACTIONS)})"
            )
        out[action] = _level_list(levels, f"{path}.{action}", source)
    return out


def policy_from_dict(doc: Any, source: str = "<policy>") -> RolePolicy:
    """Validate a parsed policy document."""
    if not isinstance(doc, dict):
        raise PolicyFileError(f"{source}: $: expected an object")
    if doc.get("format") != POLICY_FORMAT:
        raise PolicyFileError(
            f"{source}: $.format: expected {POLICY_FORMAT!r}, got {doc.get('format')!r}"
        )
    roles = doc.get("roles")
    if not isinstance(roles, dict) or not roles:
        raise PolicyFileError(f"{source}: $.roles: expected a non-empty object")
    return RolePolicy(
        roles={r: _action_map(g, f"$.roles.{r}", source) for r, g in roles.items()},
        comment_required=_action_map(doc.get("comment_required", {}), "$.comment_required", source),
    )


def default_policy_path() -> Path:
    """The shipped default policy."""
    return Path(str(files("resources") / "policy" / "default.json"))


def load_policy(path: str | Path | None = None) -> RolePolicy:
    """Read and validate a policy file (the shipped default when path is None)."""
    path = Path(path) if path is not None else default_policy_path()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PolicyFileError(f"{path}: not a JSON document: {exc}") from None
    return policy_from_dict(doc, str(path))
