"""Typed access to a request's args: a missing or mistyped argument becomes a readable error."""

from __future__ import annotations

from typing import Any

from backend_client.protocol import MAX_STRING_CHARS, Request


class RequestError(ValueError):
    """A request whose arguments do not fit its op; becomes an error reply."""


def arg(req: Request, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    """The argument key of req, checked against kind; default when absent (required if none)."""
    if key not in req.args or req.args[key] is None:
        if default is ...:
            raise RequestError(f"{req.op}: missing argument {key!r}")
        return default
    value = req.args[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise RequestError(f"{req.op}: argument {key!r} must be {names}")
    if isinstance(value, str) and len(value) > MAX_STRING_CHARS:
        raise RequestError(f"{req.op}: argument {key!r} is too long")
    return value
