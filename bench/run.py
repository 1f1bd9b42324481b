"""Run every registered benchmark, print a table, write JSON and regenerate docs/benchmarks.md.

python -m bench                 # full run (minutes)
python -m bench --quick         # short run
python -m bench --only ingest   # one benchmark
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench
from bench import MODES, REGISTRY, Figure
from bench.host import cpu_times, load_between

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "latest.json"
DEFAULT_DOCS = ROOT / "docs" / "benchmarks.md"
PACKAGES = ("numpy", "pyzmq", "msgpack", "PySide6-Essentials", "pyqtgraph", "vtk")


def discover() -> None:
    """Import every bench/bench_*.py so its benchmarks register."""
    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("bench_"):
            importlib.import_module(f"bench.{info.name}")


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        ram_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
    }


def run(names: list[str] | None, mode: str) -> dict[str, Any]:
    """Run the chosen benchmarks (all by default); a failing one is reported, not fatal."""
    discover()
    unknown = sorted(set(names or ()) - set(REGISTRY))
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; known: {sorted(REGISTRY)}")
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "command": "python -m bench" + ("" if mode == "full" else f" --{mode}"),
        "machine": machine(),
        "benchmarks": {},
    }
    for name, bm in REGISTRY.items():
        if names and name not in names:
            continue
        print(f"running {name} ({mode}) ...", file=sys.stderr, flush=True)
        started, cpu_before = time.perf_counter(), cpu_times()
        entry: dict[str, Any] = {"title": bm.title}
        try:
            result = bm.func(mode)
            entry.update(
                figures=[f.to_dict() for f in result.figures],
                params=result.params,
                notes=result.notes,
            )
        except Exception as exc:
            traceback.print_exc()
            entry.update(figures=[], params={}, notes="", error=f"{type(exc).__name__}: {exc}")
        entry["seconds"] = round(time.perf_counter() - started, 2)
        entry["host"] = load_between(cpu_before, cpu_times())
        entry["date"] = datetime.now(UTC).isoformat(timespec="seconds")
        report["benchmarks"][name] = entry
    return report


def _num(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _rows(entry: dict[str, Any]) -> list[list[str]]:
    rows = []
    for f in entry["figures"]:
        fig = Figure(**{k: v for k, v in f.items() if k != "ratio"})
        rows.append(
            [
                fig.name,
                f"{_num(fig.value)} {fig.unit}",
                f"{fig.baseline_name}: {_num(fig.baseline_value)} {fig.unit}"
                if fig.baseline_name
                else "",
                f"{fig.ratio:.2f}x" if fig.ratio is not None else "",
                fig.target or "",
            ]
        )
    return rows


def _host(entry: dict[str, Any]) -> str:
    """', all cores 63 % busy, 4 % stolen by the host': the load the figures were taken under."""
    host = entry.get("host") or {}
    if not host:
        return ""
    return (
        f", all cores {host['busy_pct']:.0f} % busy, {host['steal_pct']:.0f} % stolen by the host"
    )


HEADER = ["figure", "value", "baseline (same run)", "ratio", "target"]


def table(report: dict[str, Any]) -> str:
    """A plain-text table of every figure."""
    lines = []
    for name, entry in report["benchmarks"].items():
        lines.append(f"== {name}: {entry['title']} ({entry['seconds']} s{_host(entry)})")
        if "error" in entry:
            lines.append(f"   FAILED: {entry['error']}")
            continue
        rows = [HEADER, *_rows(entry)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
        for row in rows:
            lines.append("   " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    """docs/benchmarks.md, generated from the JSON report."""
    m = report["machine"]
    pkgs = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v)
    out = [
        "# Benchmarks",
        "",
        "Generated by `bench/run.py` from `bench/results/latest.json`; do not edit by hand.",
        "",
        f"- date: {report['date']} (mode: {report['mode']})",
        f"- reproduce: `{report['command']}` (add `--quick` for a short run)",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}",
        f"- Python {m['python']}; {pkgs}",
        "",
        "A baseline is measured in the same run, side by side; ratio = value / baseline.",
        "",
    ]
    for name, entry in report["benchmarks"].items():
        out += [f"## {name}: {entry['title']}", ""]
        when = f"Measured {entry['date']}" if entry.get("date") else ""
        if entry.get("host"):
            when += ("; m" if when else "M") + f"achine during the run: {_host(entry).lstrip(', ')}"
        if when:
            out += [when + ".", ""]
        if "error" in entry:
            out += [f"Failed in this run: `{entry['error']}`", ""]
            continue
        out += ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
        out += ["| " + " | ".join(row) + " |" for row in _rows(entry)]
        out.append("")
        if entry.get("params"):
            params = ", ".join(f"{k} = {v}" for k, v in entry["params"].items())
            out += [f"Parameters: {params}.", ""]
        if entry.get("notes"):
            out += [entry["notes"], ""]
    return "\n".join(out)


def merged(report: dict[str, Any], previous_json: Path) -> dict[str, Any]:
    """This run's benchmarks over those of the last report of the same mode."""
    try:
        previous = json.loads(previous_json.read_text())
    except (OSError, ValueError):
        return report
    if previous.get("mode") != report["mode"]:
        return report
    benchmarks = dict(previous.get("benchmarks", {}))
    for entry in benchmarks.values():
        entry.setdefault("date", previous.get("date"))
    benchmarks.update(report["benchmarks"])
    ordered = {name: benchmarks[name] for name in sorted(benchmarks)}
    return {**report, "command": previous.get("command", report["command"]), "benchmarks": ordered}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short run, smaller sizes")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; proves the suite runs")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this benchmark")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help="markdown to regenerate")
    parser.add_argument("--no-docs", action="store_true", help="do not write the markdown")
    parser.add_argument("--list", action="store_true", help="list benchmarks and exit")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    assert mode in MODES
    if args.list:
        discover()
        for name, bm in REGISTRY.items():
            print(f"{name}: {bm.title}")
        return 0
    report = run(args.only, mode)
    print(table(report))
    if args.only:  # the others keep their last figures: the docs always show every benchmark
        report = merged(report, args.json)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nJSON: {args.json}")
    if not args.no_docs:
        args.docs.parent.mkdir(parents=True, exist_ok=True)
        args.docs.write_text(markdown(report))
        print(f"docs: {args.docs}")
    return 1 if any("error" in e for e in report["benchmarks"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
