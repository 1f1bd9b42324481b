"""Alarm KPI reports written to a file (CSV or JSON) for the shift log and audits."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from pathlib import Path

from backend_client.model.alarm_kpis import KpiReport


def report_to_dict(report: KpiReport) -> dict:
    """JSON-ready: times stay us UTC, fractions 0..1."""
    doc = asdict(report)
    doc["ack_by_level"] = {str(k): v for k, v in doc["ack_by_level"].items()}
    return {"format": "lifeline-alarm-kpis/1", **doc}


def report_to_csv(report: KpiReport) -> str:
    """One row per figure: section, key, value; long lists become one row per item."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "key", "value", "count"])
    w.writerow(["period", "start_us", report.start_us, ""])
    w.writerow(["period", "now_us", report.now_us, ""])
    w.writerow(["rate_per_10min_per_position", "mean", f"{report.rate.mean:.3f}", ""])
    w.writerow(["rate_per_10min_per_position", "last_10min", f"{report.rate.last_10min:.3f}", ""])
    w.writerow(["rate_per_10min_per_position", "peak", f"{report.rate.peak:.3f}", ""])
    w.writerow(["flood", "percent_of_time", f"{report.flood_fraction * 100:.2f}", ""])
    for a in report.top:
        w.writerow(["top10", a.alarm_id, f"{a.share * 100:.1f}%", a.count])
    for c in report.chattering:
        w.writerow(["chattering", c.alarm_id, c.most_in_window, ""])
    for s in report.stale:
        w.writerow(["stale", s.alarm_id, f"{s.active_h:.1f} h", ""])
    for level, t in report.ack_by_level.items():
        w.writerow(["mean_time_to_ack_s_by_level", level, f"{t.mean_s:.1f}", t.count])
    for name, t in report.ack_by_shift.items():
        w.writerow(["mean_time_to_ack_s_by_shift", name, f"{t.mean_s:.1f}", t.count])
    return out.getvalue()


def write_report(report: KpiReport, path: str | Path) -> Path:
    """JSON when the name ends in .json, CSV otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(report_to_dict(report), indent=2), encoding="utf-8")
    else:
        path.write_text(report_to_csv(report), encoding="utf-8", newline="")
    return path
