"""Who is asking: login sessions, the identity a request acts as, and the audit of each action.

Without user accounts (the demo, most tests) a request acts as the user and role it claims, as in
protocol v1. With accounts (`lifeline-sim --users DB`) only a session opened by `login` grants a
role: the user and role come from the session, never from what the console claims; a request
without a valid session may only read (PUBLIC_OPS). Desk sessions end after idle_s without a
request; wall seats log in as the read-only wall role and do not time out (nobody sits at them).
Every operator action, refused or not, and every login attempt goes into the audit log.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from backend_client.protocol import Op, Reply, Request, Role
from simulator.audit import AuditLog
from simulator.policy import PolicyError
from simulator.request_args import arg
from simulator.users import LoginError, UserStore

DESK_IDLE_S = 15 * 60.0
SEATS = ("desk", "wall")
PUBLIC_OPS = frozenset({Op.HELLO, Op.CITY, Op.ALARMS, Op.HISTORY, Op.POLICY, Op.SCENARIOS})
AUDITED_OPS = frozenset(
    {
        Op.ACK,
        Op.SHELVE,
        Op.UNSHELVE,
        Op.SUPPRESS,
        Op.OUT_OF_SERVICE,
        Op.VERIFY,
        Op.DISPATCH,
        Op.FEEDBACK,
        Op.CLOSE,
        Op.SCENARIO,
        Op.LOGIN,
        Op.LOGOUT,
    }
)
MAX_SESSIONS = 10_000


class AccessError(PolicyError):
    """A request refused for want of a valid session; the message says what to do."""


@dataclass(slots=True)
class Session:
    """One logged-in seat: who, as which role, from where; last_used is monotonic seconds."""

    user: str
    role: str
    host: str
    seat: str
    idle_s: float | None  # None: never idles out (wall seats)
    last_used: float


class AccessGate:
    """Turns a request into the identity it acts as, and logs what operators did."""

    def __init__(
        self,
        users: UserStore | None,
        audit: AuditLog,
        desk_idle_s: float = DESK_IDLE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.users = users
        self.audit = audit
        self.desk_idle_s = desk_idle_s
        self.clock = clock
        self._sessions: dict[str, Session] = {}

    def ops(self) -> dict[str, Callable[[Request], Any]]:
        """Op name to handler, for the request dispatcher."""
        return {Op.LOGIN: self.login, Op.LOGOUT: self.logout}

    # --- sessions -------------------------------------------------------------------------------

    def _session(self, token: str) -> Session | None:
        """The live session of a token, touched; an idled-out one is dropped."""
        session = self._sessions.get(token) if token else None
        if session is None:
            return None
        now = self.clock()
        if session.idle_s is not None and now - session.last_used > session.idle_s:
            del self._sessions[token]
            return None
        session.last_used = now
        return session

    def admit(self, req: Request) -> Request:
        """The request as it will act: its session's user and role (AccessError if none)."""
        if self.users is None or req.op == Op.LOGIN:
            return req
        session = self._session(req.session)
        if session is None and req.op == Op.LOGOUT:
            return req
        if session is None:
            if req.op in PUBLIC_OPS:
                return replace(req, role="")  # reads only; the claimed role grants nothing
            why = "session expired" if req.session else "login required"
            raise AccessError(f"{why}: log in to {req.op}")
        return replace(req, user=session.user, role=session.role, host=session.host)

    def login(self, req: Request) -> dict[str, Any]:
        """Open a session for user + password at a desk or wall seat."""
        if self.users is None:
            raise AccessError("this backend has no user accounts; requests carry their role")
        user = arg(req, "user", str)
        password = arg(req, "password", str)
        seat = arg(req, "seat", str, "desk")
        if seat not in SEATS:
            raise AccessError(f"login: seat must be one of {', '.join(SEATS)}, got {seat!r}")
        try:
            account = self.users.verify(user, password)
        except LoginError as exc:
            raise AccessError(f"login refused: {exc}") from None
        wall = seat == "wall"
        if len(self._sessions) >= MAX_SESSIONS:
            self._expire_idle()
        token = secrets.token_urlsafe(32)
        session = Session(
            account.name,
            Role.WALL if wall else account.role,
            req.host,
            seat,
            None if wall else self.desk_idle_s,
            self.clock(),
        )
        self._sessions[token] = session
        return {
            "session": token,
            "user": session.user,
            "role": session.role,
            "seat": seat,
            "idle_timeout_s": session.idle_s,
        }

    def logout(self, req: Request) -> dict[str, Any]:
        """End the session the request carries."""
        return {"ended": self._sessions.pop(req.session, None) is not None}

    def _expire_idle(self) -> None:
        now = self.clock()
        for token, s in list(self._sessions.items()):
            if s.idle_s is not None and now - s.last_used > s.idle_s:
                del self._sessions[token]

    # --- audit ----------------------------------------------------------------------------------

    def record(self, req: Request, reply: Reply) -> None:
        """Log an operator action (or login attempt) with its outcome."""
        if req.op not in AUDITED_OPS:
            return
        user, role = req.user, req.role
        if req.op == Op.LOGIN:
            claimed = req.args.get("user")
            user = claimed if isinstance(claimed, str) else ""
            role = str(reply.result.get("role", "")) if isinstance(reply.result, dict) else ""
        elif self.users is not None and req.op != Op.LOGOUT and req.session not in self._sessions:
            user, role = f"{req.user} (unverified)", ""  # refused before a session was found
        result = "ok" if reply.ok else f"error: {reply.error}"
        self.audit.append(user, role, req.host, str(req.op), req.args, result)
