"""The audit log: every operator action, append-only, each entry hashed over the one before.

Entry k holds seq, time, user, role, host, op, args, result and prev_hash (entry k-1's hash,
GENESIS for the first); its hash is sha256(prev_hash + canonical JSON of those fields). Changing,
inserting or deleting any entry but the last breaks the chain at that entry, which verify()
names (the table's triggers refuse UPDATE and DELETE, so tampering means dropping them first:
a hurdle, not the proof). Deleting the newest entries is caught by comparing the head hash
with one kept elsewhere (verify(expect_head=...), `lifeline-audit verify --head`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
HIDDEN_ARGS = frozenset({"password", "session"})  # never written to the log

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    host TEXT NOT NULL,
    op TEXT NOT NULL,
    args TEXT NOT NULL,
    result TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
_COLUMNS = "seq, time, user, role, host, op, args, result, prev_hash, hash"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One operator action as logged; args is canonical JSON text, time microseconds UTC."""

    seq: int
    time: int
    user: str
    role: str
    host: str
    op: str
    args: str
    result: str
    prev_hash: str
    hash: str = ""

    def digest(self) -> str:
        """sha256 over the previous hash and this entry's canonical JSON (hash left out)."""
        fields = asdict(self)
        del fields["hash"]
        return hashlib.sha256((self.prev_hash + canonical(fields)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """What verify() found: entries checked, the head hash, and the first broken entry if any."""

    entries: int
    head: str
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.reason


def canonical(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same text for the same data, every time."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def clean_args(args: dict[str, Any]) -> dict[str, Any]:
    """A request's args without secrets (password, session token)."""
    return {k: v for k, v in args.items() if k not in HIDDEN_ARGS}


def now_us() -> int:
    """Wall-clock microseconds UTC."""
    return time.time_ns() // 1000


class AuditLog:
    """The hash-chained audit table in one SQLite file (in memory when path is None)."""

    def __init__(self, path: str | Path | None = None, clock: Callable[[], int] = now_us) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self.clock = clock
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._db.commit()
        row = self._db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        self._seq, self._head = row if row else (0, GENESIS)

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    @property
    def head(self) -> str:
        """The newest entry's hash (GENESIS when empty): keep it elsewhere to pin the log."""
        return self._head

    def append(
        self,
        user: str,
        role: str,
        host: str,
        op: str,
        args: dict[str, Any],
        result: str,
    ) -> AuditEntry:
        """Log one action and commit it before returning."""
        entry = AuditEntry(
            self._seq + 1,
            self.clock(),
            user,
            role,
            host,
            op,
            canonical(clean_args(args)),
            result,
            self._head,
        )
        entry = AuditEntry(**(asdict(entry) | {"hash": entry.digest()}))
        self._db.execute(
            f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tuple(asdict(entry).values()),
        )
        self._db.commit()
        self._seq, self._head = entry.seq, entry.hash
        return entry

    def entries(self) -> list[AuditEntry]:
        """Every entry, oldest first."""
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq").fetchall()
        return [AuditEntry(*row) for row in rows]

    def verify(self, expect_head: str | None = None) -> AuditCheck:
        """Recompute the chain; the first entry whose link or hash does not hold is named."""
        return verify_entries(self.entries(), expect_head)


def verify_entries(entries: list[AuditEntry], expect_head: str | None = None) -> AuditCheck:
    """Check seq order, each prev_hash against the entry before and each entry's own hash."""
    prev, expected_seq = GENESIS, 1
    for count, entry in enumerate(entries):
        if entry.seq != expected_seq:
            why = f"seq {entry.seq} follows seq {expected_seq - 1}: entries missing or inserted"
            return AuditCheck(count, prev, entry.seq, why)
        if entry.prev_hash != prev:
            why = "prev_hash does not match the entry before: an entry before was changed"
            return AuditCheck(count, prev, entry.seq, why)
        if entry.digest() != entry.hash:
            return AuditCheck(count, prev, entry.seq, "hash does not match the entry's content")
        prev, expected_seq = entry.hash, expected_seq + 1
    if expect_head is not None and expect_head != prev:
        known = {e.hash for e in entries}
        why = (
            "the expected head is earlier in the log: entries were added after it"
            if expect_head in known
            else "the expected head is not in the log: newest entries removed or log replaced"
        )
        return AuditCheck(len(entries), prev, None, why)
    return AuditCheck(len(entries), prev)


def open_for_verify(path: str | Path) -> list[AuditEntry]:
    """The entries of an audit file, read only (the file must exist)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    try:
        rows = db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq").fetchall()
    finally:
        db.close()
    return [AuditEntry(*row) for row in rows]
