"""CurveZMQ for the links: typed key-file configuration and the socket set-up of both ends.

A TOML (or JSON) file names key files made by `lifeline-keys`; paths are relative to the file:

    [server]                       # the backend (or a relay's console side)
    secret_key = "server.key_secret"
    allow = "allowed"              # a folder of console public keys (*.key)

    [client]                       # a console (or a relay's backend side)
    secret_key = "desk-1.key_secret"
    server_key = "server.key"

Sockets that bind (XPUB, ROUTER) are curve servers; a ZAP handler (pyzmq's ThreadAuthenticator)
on their context admits only the allowlisted console keys, so a console with another key
completes no handshake: it receives nothing and its requests are never read.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator


class CurveConfigError(ValueError):
    """A curve configuration or key file that cannot be used; the message names file and field."""


@dataclass(frozen=True, slots=True)
class CurveServerKeys:
    """The key pair a binding socket presents, and the folder of console keys it admits."""

    secret_key: Path
    allow: Path


@dataclass(frozen=True, slots=True)
class CurveClientKeys:
    """The key pair a connecting socket presents, and the server key it expects."""

    secret_key: Path
    server_key: Path


@dataclass(frozen=True, slots=True)
class CurveConfig:
    """Curve set-up of one process: a server side, a client side, or both (a relay)."""

    server: CurveServerKeys | None = None
    client: CurveClientKeys | None = None
    source: str = "<curve config>"


def _path(table: dict[str, Any], key: str, where: str, base: Path) -> Path:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise CurveConfigError(f"{where}.{key}: expected a file path, got {value!r}")
    return (base / value).resolve()


def curve_config_from_dict(doc: Any, source: str, base: Path) -> CurveConfig:
    """Validate a parsed configuration; relative paths are taken from base."""
    if not isinstance(doc, dict):
        raise CurveConfigError(f"{source}: expected a table")
    unknown = set(doc) - {"server", "client"}
    if unknown:
        raise CurveConfigError(f"{source}: unknown table(s) {sorted(unknown)} (server, client)")
    server = client = None
    for name in ("server", "client"):
        if name in doc and not isinstance(doc[name], dict):
            raise CurveConfigError(f"{source}: [{name}]: expected a table, got {doc[name]!r}")
    if "server" in doc:
        where = f"{source}: server"
        t = doc["server"]
        server = CurveServerKeys(
            _path(t, "secret_key", where, base), _path(t, "allow", where, base)
        )
        if not server.allow.is_dir():
            raise CurveConfigError(f"{where}.allow: {server.allow} is not a folder")
    if "client" in doc:
        where = f"{source}: client"
        t = doc["client"]
        client = CurveClientKeys(
            _path(t, "secret_key", where, base), _path(t, "server_key", where, base)
        )
    if server is None and client is None:
        raise CurveConfigError(f"{source}: needs a [server] or a [client] table")
    return CurveConfig(server, client, source)


def load_curve_config(path: str | Path) -> CurveConfig:
    """Read a curve configuration file (.json, else TOML); key files are checked on use."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CurveConfigError(f"{path}: cannot read: {exc}") from None
    return curve_config_from_dict(doc, str(path), path.parent)


def _key_pair(path: Path) -> tuple[bytes, bytes]:
    try:
        public, secret = zmq.auth.load_certificate(path)
    except (OSError, ValueError) as exc:
        raise CurveConfigError(f"{path}: not a curve key file: {exc}") from None
    if secret is None:
        raise CurveConfigError(f"{path}: holds no secret key (use the .key_secret file)")
    return public, secret


def _public_key(path: Path) -> bytes:
    try:
        public, _ = zmq.auth.load_certificate(path)
    except (OSError, ValueError) as exc:
        raise CurveConfigError(f"{path}: not a curve key file: {exc}") from None
    return public


class CurveGate:
    """The ZAP handler of one context: admits the allowlisted keys until stop()."""

    def __init__(self, ctx: zmq.Context, keys: CurveServerKeys) -> None:
        self.keys = keys
        self.public, self._secret = _key_pair(keys.secret_key)
        self._auth = ThreadAuthenticator(ctx)
        self._auth.start()
        self.reload()

    def reload(self) -> None:
        """Read the allowlist folder again (a key added or removed takes effect for new links)."""
        self._auth.configure_curve(domain="*", location=str(self.keys.allow))

    def serve(self, sock: zmq.Socket) -> None:
        """Make a socket (before bind) a curve server with this gate's key pair."""
        sock.curve_secretkey = self._secret
        sock.curve_publickey = self.public
        sock.curve_server = True

    def stop(self) -> None:
        """Stop the ZAP thread (before the context is terminated)."""
        self._auth.stop()


def curve_client(sock: zmq.Socket, keys: CurveClientKeys) -> None:
    """Make a socket (before connect) a curve client presenting its key pair to the server."""
    public, secret = _key_pair(keys.secret_key)
    sock.curve_secretkey = secret
    sock.curve_publickey = public
    sock.curve_serverkey = _public_key(keys.server_key)
