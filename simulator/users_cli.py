"""lifeline-users: manage the backend's user accounts (the file given to lifeline-sim --users).

lifeline-users DB add NAME --role ROLE [--password-file FILE]   (else asked for twice)
lifeline-users DB remove NAME
lifeline-users DB list
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator.policy import PolicyFileError, load_policy
from simulator.users import UserError, UserStore


def read_password(path: Path | None) -> str:
    """The first line of a password file, or typed twice at the terminal."""
    if path is not None:
        return path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise UserError("the passwords differ")
    return first


def build_parser() -> argparse.ArgumentParser:
    """The command line, documented in --help."""
    p = argparse.ArgumentParser(prog="lifeline-users", description=__doc__.splitlines()[0])
    p.add_argument("db", type=Path, help="the user file (created when missing)")
    p.add_argument("--policy", type=Path, help="role policy JSON the roles must be in")
    sub = p.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create a user, or reset its password and role")
    add.add_argument("name")
    add.add_argument("--role", required=True)
    add.add_argument("--password-file", type=Path, help="first line is the password")
    remove = sub.add_parser("remove", help="delete a user")
    remove.add_argument("name")
    sub.add_parser("list", help="print users and roles")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of lifeline-users."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "add":
            roles = load_policy(args.policy).roles
            if args.role not in roles:
                raise UserError(f"role {args.role!r} is not in the policy ({', '.join(roles)})")
            password = read_password(args.password_file)
        store = UserStore(args.db)
    except (OSError, UserError, PolicyFileError) as exc:
        print(f"lifeline-users: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "add":
            store.add(args.name, password, args.role)
            print(f"{args.name}: {args.role}")
        elif args.command == "remove":
            if not store.remove(args.name):
                print(f"lifeline-users: no user {args.name!r}", file=sys.stderr)
                return 1
        else:
            for account in store.users():
                print(f"{account.name}\t{account.role}")
    except UserError as exc:
        print(f"lifeline-users: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
