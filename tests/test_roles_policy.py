"""The role policy: the shipped default table, comment rules, and strict loading of a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.policy import (
    ACTIONS,
    PolicyError,
    PolicyFileError,
    RolePolicy,
    load_policy,
    policy_from_dict,
)


@pytest.fixture(scope="module")
def policy() -> RolePolicy:
    return load_policy()


def test_default_lets_supervisors_take_every_step_at_every_level(policy: RolePolicy) -> None:
    for action in ACTIONS:
        for level in (1, 2, 3, 4):
            assert policy.allows("supervisor", action, level), (action, level)


def test_default_lets_operators_acknowledge_levels_three_and_four_only(policy: RolePolicy) -> None:
    assert [lv for lv in (1, 2, 3, 4) if policy.allows("operator", "ack", lv)] == [3, 4]
    assert policy.allows("operator", "verify", 1) and policy.allows("operator", "feedback", 1)
    assert not policy.allows("operator", "dispatch", 2) and not policy.allows(
        "operator", "close", 1
    )
    assert not policy.allows("operator", "suppress", 4)


def test_default_wall_role_is_read_only(policy: RolePolicy) -> None:
    assert not any(policy.allows("wall", a, lv) for a in ACTIONS for lv in (1, 2, 3, 4))
    with pytest.raises(PolicyError, match="role 'wall' is read only and may not ack"):
        policy.check("wall", "ack", 4, "note")


def test_admin_manages_suppression_and_service_but_not_the_operational_loop(
    policy: RolePolicy,
) -> None:
    assert policy.allows("admin", "out_of_service", 0), "a level-less request needs all levels"
    assert not policy.allows("admin", "ack", 4)


def test_refusal_names_the_role_the_step_the_level_and_what_is_allowed(policy: RolePolicy) -> None:
    with pytest.raises(PolicyError) as refused:
        policy.check("operator", "ack", 1, "gas confirmed")
    assert str(refused.value) == (
        "role 'operator' may not ack a level I alarm (allowed levels: III, IV)"
    )
    with pytest.raises(PolicyError, match="role 'guest' is not in the backend's policy"):
        policy.check("guest", "ack", 4, "x")


@pytest.mark.parametrize(
    ("action", "level", "needs_comment"),
    [("ack", 1, True), ("ack", 2, True), ("ack", 3, False), ("ack", 4, False)]
    + [("shelve", lv, True) for lv in (1, 2, 3, 4)],
)
def test_a_comment_is_mandatory_for_level_one_and_two_acks_and_for_shelving(
    policy: RolePolicy, action: str, level: int, needs_comment: bool
) -> None:
    policy.check("supervisor", action, level, "reason given")
    if needs_comment:
        with pytest.raises(PolicyError, match=f"a comment is required to {action}"):
            policy.check("supervisor", action, level, "   ")
    else:
        policy.check("supervisor", action, level, "")


def test_the_wire_form_lists_sorted_levels_and_drops_empty_grants(policy: RolePolicy) -> None:
    wire = policy.to_wire()
    assert wire["format"] == "lifeline-policy/1"
    assert wire["roles"]["operator"]["ack"] == [3, 4] and wire["roles"]["wall"] == {}
    assert policy_from_dict(wire) == policy, "the wire form loads back as the same policy"


def test_a_site_policy_file_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    doc = {"format": "lifeline-policy/1", "roles": {"operator": {"ack": [1, 2, 3, 4]}}}
    path.write_text(json.dumps(doc))
    site = load_policy(path)
    assert site.allows("operator", "ack", 1) and site.comment_required == {}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"format": "other", "roles": {"a": {}}}, "\\$.format: expected 'lifeline-policy/1'"),
        ({"format": "lifeline-policy/1", "roles": {}}, "\\$.roles: expected a non-empty"),
        (
            {"format": "lifeline-policy/1", "roles": {"op": {"acknowledge": [1]}}},
            "\\$.roles.op.acknowledge: unknown action",
        ),
        (
            {"format": "lifeline-policy/1", "roles": {"op": {"ack": [0, 5]}}},
            "\\$.roles.op.ack: expected a list of levels 1..4, got \\[0, 5\\]",
        ),
        (
            {"format": "lifeline-policy/1", "roles": {"op": {}}, "comment_required": []},
            "\\$.comment_required: expected an object",
        ),
    ],
)
def test_a_bad_policy_file_is_refused_naming_file_field_and_value(
    tmp_path: Path, doc: dict, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(PolicyFileError, match=f"{path}: {message}"):
        load_policy(path)
