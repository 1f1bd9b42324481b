"""The audit log: a hash chain over operator actions that lifeline-audit verify checks."""

from __future__ import annotations

import sqlite3
from itertools import count, pairwise
from pathlib import Path

import pytest
import zmq

from backend_client.city import city_from_dict
from backend_client.codec import decode_reply, encode_request
from backend_client.protocol import Reply, Request
from simulator.audit import GENESIS, AuditLog
from simulator.audit_cli import main as audit_main
from simulator.server import SimServer
from simulator.users import UserStore
from tests.scripted_backend import wait_for
from tests.test_closed_loop_server import CITY, YELLOW

_ids = count(1)


def _log(path: Path, n: int = 4) -> AuditLog:
    log = AuditLog(path, clock=lambda: 1_700_000_000_000_000)
    for k in range(n):
        log.append("li.wei", "operator", "desk-2", "ack", {"alarm": f"A{k}", "comment": ""}, "ok")
    return log


def _sql(path: Path, statement: str) -> None:
    """Tamper as someone with the file would: drop the append-only triggers, then edit."""
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER IF EXISTS audit_no_update")
    db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    db.execute(statement)
    db.commit()
    db.close()


def test_an_untouched_log_verifies_and_each_entry_links_to_the_one_before(tmp_path: Path) -> None:
    log = _log(tmp_path / "audit.sqlite")
    entries = log.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(entries))
    check = log.verify()
    assert check.ok and check.entries == 4 and check.head == log.head == entries[-1].hash
    log.close()


def test_the_table_refuses_updates_and_deletes(tmp_path: Path) -> None:
    _log(tmp_path / "audit.sqlite").close()
    db = sqlite3.connect(tmp_path / "audit.sqlite")
    for statement in ("UPDATE audit SET user = 'x'", "DELETE FROM audit WHERE seq = 4"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(statement)
    db.close()


def test_a_reopened_log_continues_the_chain(tmp_path: Path) -> None:
    _log(tmp_path / "audit.sqlite", 2).close()
    log = _log(tmp_path / "audit.sqlite", 2)
    assert [e.seq for e in log.entries()] == [1, 2, 3, 4] and log.verify().ok
    log.close()


def test_a_changed_entry_fails_verify_naming_that_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "audit.sqlite"
    _log(path).close()
    _sql(path, "UPDATE audit SET user = 'someone.else' WHERE seq = 2")
    assert audit_main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("TAMPERED at entry seq 2: hash does not match"), out


def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next_link(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    log = _log(path)
    forged = log.entries()[1]
    log.close()
    from dataclasses import replace

    forged = replace(forged, result="error: refused")
    _sql(path, f"UPDATE audit SET result = 'error: refused', hash = '{forged.digest()}' "
         "WHERE seq = 2")  # fmt: skip
    check = AuditLog(path).verify()
    assert (check.broken_seq, check.entries) == (3, 2)
    assert "prev_hash" in check.reason


def test_a_deleted_entry_fails_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.sqlite"
    _log(path).close()
    _sql(path, "DELETE FROM audit WHERE seq = 2")
    assert audit_main(["verify", str(path)]) == 1
    assert "TAMPERED at entry seq 3: seq 3 follows seq 1" in capsys.readouterr().out


def test_a_removed_tail_is_caught_against_a_recorded_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "audit.sqlite"
    log = _log(path)
    head = log.head
    log.close()
    assert audit_main(["verify", str(path), "--head", head]) == 0
    _sql(path, "DELETE FROM audit WHERE seq = 4")
    assert audit_main(["verify", str(path)]) == 0, "without a head a cut tail still chains"
    assert audit_main(["verify", str(path), "--head", head]) == 1
    assert "TAMPERED at log head" in capsys.readouterr().out


def test_verify_of_a_missing_or_foreign_file_exits_two(tmp_path: Path) -> None:
    assert audit_main(["verify", str(tmp_path / "none.sqlite")]) == 2
    _sql(tmp_path / "other.sqlite", "CREATE TABLE t (x)")
    assert audit_main(["verify", str(tmp_path / "other.sqlite")]) == 2


def test_the_backend_logs_logins_and_operator_actions_but_no_password_or_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = UserStore(tmp_path / "users.sqlite")
    users.add("li.wei", "operator-pass", "operator", (2**10, 8, 1))
    users.close()
    audit = tmp_path / "audit.sqlite"
    ctx = zmq.Context()
    server = SimServer(city_from_dict(CITY), users_db=tmp_path / "users.sqlite", audit_db=audit)
    server.start()
    try:
        sock = ctx.socket(zmq.DEALER)
        sock.connect(server.rpc_endpoint)
        session = ""

        def call(op: str, **args: object) -> Reply:
            request = Request(
                f"a{next(_ids)}", op, dict(args), "x", "supervisor", "desk-5", session
            )
            sock.send(encode_request(request))
            assert sock.poll(5000)
            return decode_reply(sock.recv())

        assert not call("login", user="li.wei", password="wrong-one").ok
        session = call("login", user="li.wei", password="operator-pass").result["session"]
        assert wait_for(lambda: any(a["id"] == YELLOW for a in call("alarms").result["alarms"]))
        assert call("ack", alarm=YELLOW, comment="seen").ok
        assert not call("suppress", alarm=YELLOW, comment="works").ok  # operator: refused
        session = ""
        assert not call("ack", alarm=YELLOW, comment="").ok
    finally:
        server.stop()
        ctx.destroy(linger=0)
    assert audit_main(["show", str(audit)]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert [(f[2], f[3], f[5]) for f in lines] == [
        ("li.wei", "", "login"),
        ("li.wei", "operator", "login"),
        ("li.wei", "operator", "ack"),
        ("li.wei", "operator", "suppress"),
        ("x (unverified)", "", "ack"),
    ]
    assert lines[0][7].startswith("error: login refused") and lines[1][7] == "ok"
    assert lines[3][7].startswith("error: role 'operator' may not suppress")
    assert lines[0][6] == '{"user":"li.wei"}', "password (and session) never logged"
    assert b"operator-pass" not in audit.read_bytes() and b"wrong-one" not in audit.read_bytes()
    assert audit_main(["verify", str(audit)]) == 0
