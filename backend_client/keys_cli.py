"""lifeline-keys: make CurveZMQ key pairs and admit console keys to a backend's allowlist.

lifeline-keys server DIR                  DIR/server.key, DIR/server.key_secret
lifeline-keys console NAME DIR            DIR/NAME.key, DIR/NAME.key_secret
lifeline-keys allow PUBKEYFILE ALLOWDIR   copy a console's public key into the allowlist
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import zmq.auth

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def make_pair(name: str, folder: Path) -> tuple[Path, Path]:
    """Write NAME.key (public) and NAME.key_secret (mode 0600) into folder; never overwrite."""
    if not NAME.fullmatch(name):
        raise ValueError(f"key name {name!r}: use letters, digits, '.', '_' or '-'")
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".key", ".key_secret"):
        if (folder / f"{name}{suffix}").exists():
            raise FileExistsError(f"{folder / (name + suffix)} exists; not overwritten")
    public, secret = zmq.auth.create_certificates(folder, name)
    Path(secret).chmod(0o600)
    return Path(public), Path(secret)


def allow(public_file: Path, allow_dir: Path) -> Path:
    """Copy a public key file into an allowlist folder, refusing a file with a secret key."""
    _, secret = zmq.auth.load_certificate(public_file)
    if secret is not None:
        raise ValueError(f"{public_file} holds a secret key; give the public .key file")
    allow_dir.mkdir(parents=True, exist_ok=True)
    target = allow_dir / (public_file.stem + ".key")
    shutil.copyfile(public_file, target)
    return target


def build_parser() -> argparse.ArgumentParser:
    """The command line, documented in --help."""
    p = argparse.ArgumentParser(prog="lifeline-keys", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    server = sub.add_parser("server", help="make the backend's key pair")
    server.add_argument("dir", type=Path)
    console = sub.add_parser("console", help="make a console's key pair")
    console.add_argument("name")
    console.add_argument("dir", type=Path)
    admit = sub.add_parser("allow", help="admit a console's public key")
    admit.add_argument("public_key", type=Path)
    admit.add_argument("allow_dir", type=Path)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of lifeline-keys."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "allow":
            print(f"allowed {allow(args.public_key, args.allow_dir)}")
        else:
            name = "server" if args.command == "server" else args.name
            public, secret = make_pair(name, args.dir)
            print(f"public {public}\nsecret {secret}")
    except (OSError, ValueError) as exc:
        print(f"lifeline-keys: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
