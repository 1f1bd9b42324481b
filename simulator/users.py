"""The backend's user accounts: scrypt password hashes, roles from the policy, lockout.

One SQLite file holds one row per user: the role, a per-user salt, the scrypt parameters the hash
was made with (so they can be raised later without breaking old hashes), and the count of
failures since the last good login. MAX_FAILURES failures in a row lock the account for
LOCKOUT_S; a locked account is refused even with the right password until then.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MAX_FAILURES = 5
LOCKOUT_S = 15 * 60.0
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MiB of memory per hash
MIN_PASSWORD_CHARS = 8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    salt BLOB NOT NULL,
    n INTEGER NOT NULL,
    r INTEGER NOT NULL,
    p INTEGER NOT NULL,
    hash BLOB NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0
)
"""


class LoginError(ValueError):
    """A login refused; the message says why without telling whether the user exists."""


class UserError(ValueError):
    """A user that cannot be created or changed as asked."""


@dataclass(frozen=True, slots=True)
class Account:
    """Who logged in, and the role the account holds."""

    name: str
    role: str


def hash_password(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """scrypt of the password with this salt and these parameters."""
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=128 * r * n * 2)


class UserStore:
    """User accounts in one SQLite file (in memory when path is None)."""

    def __init__(
        self,
        path: str | Path | None = None,
        max_failures: int = MAX_FAILURES,
        lockout_s: float = LOCKOUT_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.clock = clock
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute(_SCHEMA)
        self._db.commit()

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def add(
        self, name: str, password: str, role: str, params: tuple[int, int, int] | None = None
    ) -> None:
        """Create a user, or set a new password and role for an existing one (unlocks it)."""
        if not name or len(name) > 64 or not name.isprintable():
            raise UserError(f"user name {name!r}: 1 to 64 printable characters")
        if len(password) < MIN_PASSWORD_CHARS:
            raise UserError(f"password: at least {MIN_PASSWORD_CHARS} characters")
        n, r, p = params or (SCRYPT_N, SCRYPT_R, SCRYPT_P)
        salt = os.urandom(16)
        digest = hash_password(password, salt, n, r, p)
        self._db.execute(
            "INSERT INTO users (name, role, salt, n, r, p, hash) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET role=excluded.role, salt=excluded.salt, "
            "n=excluded.n, r=excluded.r, p=excluded.p, hash=excluded.hash, failures=0, "
            "locked_until=0",
            (name, role, salt, n, r, p, digest),
        )
        self._db.commit()

    def remove(self, name: str) -> bool:
        """Delete a user; whether there was one."""
        cur = self._db.execute("DELETE FROM users WHERE name = ?", (name,))
        self._db.commit()
        return cur.rowcount > 0

    def users(self) -> list[Account]:
        """Every account, by name."""
        rows = self._db.execute("SELECT name, role FROM users ORDER BY name").fetchall()
        return [Account(name, role) for name, role in rows]

    def verify(self, name: str, password: str) -> Account:
        """The account when the password is right and it is not locked; else LoginError."""
        row = self._db.execute(
            "SELECT role, salt, n, r, p, hash, failures, locked_until FROM users WHERE name = ?",
            (name,),
        ).fetchone()
        if row is None:
            # same work as a real check, so timing does not tell which names exist
            hash_password(password, b"\0" * 16, SCRYPT_N, SCRYPT_R, SCRYPT_P)
            raise LoginError("wrong user name or password")
        role, salt, n, r, p, digest, failures, locked_until = row
        now = self.clock()
        if locked_until > now:
            raise LoginError(f"account locked for {locked_until - now:.0f} s after failed logins")
        if not hmac.compare_digest(hash_password(password, salt, n, r, p), digest):
            failures += 1
            locked = now + self.lockout_s if failures >= self.max_failures else 0.0
            self._db.execute(
                "UPDATE users SET failures = ?, locked_until = ? WHERE name = ?",
                (0 if locked else failures, locked, name),
            )
            self._db.commit()
            if locked:
                raise LoginError(f"account locked for {self.lockout_s:.0f} s after failed logins")
            raise LoginError("wrong user name or password")
        if failures or locked_until:
            self._db.execute(
                "UPDATE users SET failures = 0, locked_until = 0 WHERE name = ?", (name,)
            )
            self._db.commit()
        return Account(name, role)
