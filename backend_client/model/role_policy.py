"""Which alarm steps a console role may take at which level, read from the backend's policy.

The backend checks every request itself; the console reads the same policy (the `policy` reply,
or a `lifeline-policy/1` file such as resources/policy/default.json) only to hide what a role
may not do and to refuse a missing comment before sending.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

POLICY_FORMAT = "lifeline-policy/1"
# the order buttons and lists show them in: the closed loop first, then the hiding steps
ACTIONS = (
    "ack",
    "verify",
    "dispatch",
    "feedback",
    "close",
    "shelve",
    "unshelve",
    "suppress",
    "out_of_service",
)
ROMAN = ("", "I", "II", "III", "IV")
ALL_LEVELS = frozenset({1, 2, 3, 4})
ACTION_VERBS = {"ack": "acknowledge", "out_of_service": "take out of service"}


class PolicyFormatError(ValueError):
    """A policy document that breaks the format; the message names the source, field and value."""


@dataclass(frozen=True, slots=True)
class RolePolicy:
    """Levels each role may act on, per action, and where a comment is required."""

    roles: Mapping[str, Mapping[str, frozenset[int]]]
    comment_required: Mapping[str, frozenset[int]] = field(default_factory=dict)
    source: str = "<policy>"

    def levels(self, role: str, action: str) -> frozenset[int]:
        """Levels at which role may take action; empty for an unknown role or action."""
        return self.roles.get(role, {}).get(action, frozenset())

    def allows(self, role: str, action: str, level: int) -> bool:
        """Whether role may take action at level (0, no level, needs all four, as the backend)."""
        granted = self.levels(role, action)
        return granted >= ALL_LEVELS if level == 0 else level in granted

    def read_only(self, role: str) -> bool:
        """A role with no grant at all (the wall, or one the policy does not know) only reads."""
        return not any(self.roles.get(role, {}).values())

    def steps_allowed(self, role: str, level: int) -> tuple[str, ...]:
        """The actions role may take on an alarm of level, in ACTIONS order."""
        return tuple(a for a in ACTIONS if self.allows(role, a, level))

    def needs_comment(self, action: str, level: int) -> bool:
        """Whether the action at this level must carry a non-blank comment or note."""
        required = self.comment_required.get(action, frozenset())
        return bool(required) if level == 0 else level in required

    def comment_refusal(self, action: str, level: int, comment: str) -> str | None:
        """The sentence to show when a required comment is missing, else None."""
        if comment.strip() or not self.needs_comment(action, level):
            return None
        what = f"a level {ROMAN[level]} alarm" if 1 <= level <= 4 else "alarms without a level"
        return f"A comment is required to {ACTION_VERBS.get(action, action)} {what}."


def _levels(raw: Any, where: str, source: str) -> frozenset[int]:
    ok = isinstance(raw, list) and all(type(v) is int and 1 <= v <= 4 for v in raw)
    if not ok:
        raise PolicyFormatError(f"{source}: {where}: expected a list of levels 1..4, got {raw!r}")
    return frozenset(raw)


def _grants(raw: Any, where: str, source: str) -> dict[str, frozenset[int]]:
    """Actions this console does not know are kept: a newer backend may grant more."""
    if not isinstance(raw, dict):
        raise PolicyFormatError(f"{source}: {where}: expected an object, got {raw!r}")
    return {str(a): _levels(lv, f"{where}.{a}", source) for a, lv in raw.items()}


def policy_from_dict(doc: Any, source: str = "<policy>") -> RolePolicy:
    """Validate a policy file or `policy` reply (its `role` and `allowed` keys are not needed)."""
    if not isinstance(doc, dict):
        raise PolicyFormatError(f"{source}: $: expected an object, got {type(doc).__name__}")
    if doc.get("format") != POLICY_FORMAT:
        raise PolicyFormatError(
            f"{source}: $.format: expected {POLICY_FORMAT!r}, got {doc.get('format')!r}"
        )
    roles = doc.get("roles")
    if not isinstance(roles, dict):
        raise PolicyFormatError(f"{source}: $.roles: expected an object, got {roles!r}")
    return RolePolicy(
        roles={str(r): _grants(g, f"$.roles.{r}", source) for r, g in roles.items()},
        comment_required=_grants(doc.get("comment_required", {}), "$.comment_required", source),
        source=source,
    )


def default_policy_path() -> Path:
    """The policy shipped with the console and the reference backend."""
    return Path(str(files("resources") / "policy" / "default.json"))


def load_policy_file(path: str | Path | None = None) -> RolePolicy:
    """Read a policy file (the shipped default when path is None); errors name the file."""
    path = Path(path) if path is not None else default_policy_path()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PolicyFormatError(f"{path}: {exc}") from None
    return policy_from_dict(doc, str(path))
