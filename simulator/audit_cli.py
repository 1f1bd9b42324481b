"""lifeline-audit: check or list the backend's hash-chained audit log.

lifeline-audit verify DB [--head HASH]   exit 0 when intact, 1 when tampered, 2 unreadable
lifeline-audit show DB                   one line per entry
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator.audit import open_for_verify, verify_entries


def build_parser() -> argparse.ArgumentParser:
    """The command line, documented in --help."""
    p = argparse.ArgumentParser(prog="lifeline-audit", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="recompute the hash chain")
    verify.add_argument("db", type=Path)
    verify.add_argument("--head", help="the head hash recorded earlier: catches removed tails")
    show = sub.add_parser("show", help="print the entries")
    show.add_argument("db", type=Path)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of lifeline-audit."""
    args = build_parser().parse_args(argv)
    if not args.db.is_file():
        print(f"lifeline-audit: {args.db}: no such file", file=sys.stderr)
        return 2
    try:
        entries = open_for_verify(args.db)
    except sqlite3.Error as exc:
        print(f"lifeline-audit: {args.db}: not an audit log: {exc}", file=sys.stderr)
        return 2
    if args.command == "show":
        for e in entries:
            print(f"{e.seq}\t{e.time}\t{e.user}\t{e.role}\t{e.host}\t{e.op}\t{e.args}\t{e.result}")
        return 0
    check = verify_entries(entries, args.head)
    if check.ok:
        print(f"OK: {check.entries} entries, head {check.head}")
        return 0
    where = f"entry seq {check.broken_seq}" if check.broken_seq is not None else "log head"
    print(f"TAMPERED at {where}: {check.reason} ({check.entries} entries intact before it)")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
