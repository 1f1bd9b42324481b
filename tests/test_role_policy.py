"""The console's reading of the role policy, and which loop steps an alarm admits: no Qt."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from backend_client.model.alarm_details import AlarmDetails, admitted_steps, step_choices
from backend_client.model.role_policy import (
    PolicyFormatError,
    load_policy_file,
    policy_from_dict,
)
from backend_client.protocol import AlarmRecord, AlarmState, AlarmStep, LoopStage
from simulator.policy import load_policy as load_backend_policy

POLICY = load_policy_file()


def _alarm(level: int = 1, state: AlarmState = AlarmState.UNACK, **kw) -> AlarmRecord:
    return AlarmRecord(
        "A1", 0, "T1/GAS/Z01/CH4/01", level, state, True, 30.0, 25.0, 1_000, 2_000, **kw
    )


def test_the_shipped_policy_gives_operators_levels_three_and_four_only_for_ack():
    assert POLICY.levels("operator", "ack") == {3, 4}
    assert POLICY.steps_allowed("operator", 1) == ("verify", "feedback", "unshelve")
    assert POLICY.steps_allowed("operator", 3) == (
        "ack", "verify", "dispatch", "feedback", "close", "shelve", "unshelve",
    )  # fmt: skip


def test_the_wall_and_unknown_roles_are_read_only():
    assert POLICY.read_only("wall") and POLICY.read_only("janitor") and POLICY.read_only("")
    assert not POLICY.read_only("operator")
    for level in (1, 2, 3, 4):
        assert POLICY.steps_allowed("wall", level) == ()


def test_console_and_backend_agree_on_every_role_action_and_level():
    backend = load_backend_policy()
    for role in backend.roles:
        for action in ("ack", "shelve", "unshelve", "verify", "dispatch", "feedback", "close"):
            for level in (0, 1, 2, 3, 4):
                assert POLICY.allows(role, action, level) == backend.allows(role, action, level)


def test_a_policy_reply_is_read_like_the_file_and_its_extra_keys_are_ignored():
    reply = {
        "format": "lifeline-policy/1",
        "roles": {"operator": {"ack": [3, 4], "future_op": [1]}, "wall": {}},
        "comment_required": {"ack": [1, 2]},
        "role": "operator",
        "allowed": {"ack": [3, 4]},
    }
    policy = policy_from_dict(reply, "backend")
    assert policy.allows("operator", "ack", 4) and not policy.allows("operator", "ack", 2)
    assert policy.levels("operator", "future_op") == {1}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"format": "x", "roles": {}}, "$.format"),
        ({"format": "lifeline-policy/1", "roles": []}, "$.roles"),
        ({"format": "lifeline-policy/1", "roles": {"op": {"ack": [5]}}}, "$.roles.op.ack"),
        ({"format": "lifeline-policy/1", "roles": {"op": {"ack": [True]}}}, "$.roles.op.ack"),
    ],
)
def test_a_malformed_policy_is_refused_naming_the_field(doc, message):
    with pytest.raises(PolicyFormatError, match=message.replace("$", r"\$")):
        policy_from_dict(doc, "test")


def test_a_policy_file_error_names_the_file(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "lifeline-policy/1", "roles": {"x": {"ack": "all"}}}))
    with pytest.raises(PolicyFormatError, match=r"p\.json: \$\.roles\.x\.ack"):
        load_policy_file(path)


def test_comment_refusal_names_the_action_and_level():
    assert POLICY.comment_refusal("ack", 1, "  ") == (
        "A comment is required to acknowledge a level I alarm."
    )
    assert POLICY.comment_refusal("ack", 3, "") is None
    assert POLICY.comment_refusal("ack", 1, "seen on CCTV") is None
    assert POLICY.comment_refusal("shelve", 4, "") == (
        "A comment is required to shelve a level IV alarm."
    )


def test_loop_steps_are_admitted_in_the_backends_order():
    assert admitted_steps(_alarm()) == {"ack", "shelve"}
    acked = _alarm(state=AlarmState.ACKED, loop=LoopStage.ACKED)
    assert admitted_steps(acked) == {"verify", "shelve"}
    real = replace(acked, loop=LoopStage.VERIFIED, verdict="real")
    assert admitted_steps(real) == {"dispatch", "shelve"}
    false = replace(real, verdict="false")
    assert admitted_steps(false) == {"close", "shelve"}
    sent = replace(real, loop=LoopStage.DISPATCHED)
    assert admitted_steps(sent) == {"feedback", "shelve"}
    answered = replace(real, loop=LoopStage.FEEDBACK, state=AlarmState.NORMAL, active=False)
    assert admitted_steps(answered) == {"feedback", "close"}
    assert admitted_steps(_alarm(state=AlarmState.SHELVED)) == {"unshelve"}


def test_operator_gets_no_acknowledge_button_on_a_level_one_alarm_but_does_on_level_three():
    keys = [c.key for c in step_choices(POLICY, "operator", _alarm(level=1))]
    assert "ack" not in keys and "dispatch" not in keys and "verify_real" in keys
    choices = {c.key: c.enabled for c in step_choices(POLICY, "operator", _alarm(level=3))}
    assert choices["ack"] is True and choices["verify_real"] is False
    assert step_choices(POLICY, "wall", _alarm(level=4)) == []


def test_details_keep_a_dropped_record_with_an_open_loop_and_take_only_newer_ones():
    details = AlarmDetails()
    acked = _alarm(state=AlarmState.ACKED, loop=LoopStage.ACKED)
    details.select("A1", acked)
    step = AlarmStep("verify", "lin", "supervisor", "desk", 3_000, "haze", "real")
    cleared = replace(acked, state=AlarmState.NORMAL, active=False, changed_us=3_000, steps=(step,))
    assert details.book_changed(None)  # the book forgot it at normal
    assert details.record == acked and details.needs_snapshot()
    assert details.snapshot_arrived([cleared]) and details.record == cleared
    assert not details.reply_arrived(acked)  # older than what is shown
    assert not details.needs_snapshot()  # the normal record with its open loop is known now
