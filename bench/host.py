"""What else the machine did during a benchmark: a noisy neighbour explains a noisy figure.

On a virtual machine the host may run other guests on our cores ("steal"): a thread's CPU clock
keeps counting while it waits, so busy figures rise with steal. Read from /proc/stat (Linux).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STAT = Path("/proc/stat")


@dataclass(frozen=True, slots=True)
class CpuTimes:
    """Cumulative jiffies of all cores: busy (user, nice, system, irq), idle, steal."""

    busy: int
    idle: int
    steal: int

    @property
    def total(self) -> int:
        return self.busy + self.idle + self.steal


def cpu_times() -> CpuTimes | None:
    """The machine's CPU counters now; None where /proc/stat is missing."""
    try:
        fields = [int(x) for x in STAT.read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return CpuTimes(user + nice + system + irq + softirq, idle + iowait, steal)


def load_between(before: CpuTimes | None, after: CpuTimes | None) -> dict[str, float]:
    """Share of all cores' time spent busy and stolen by the host between two readings."""
    if before is None or after is None or after.total <= before.total:
        return {}
    total = after.total - before.total
    return {
        "busy_pct": round(100 * (after.busy - before.busy) / total, 1),
        "steal_pct": round(100 * (after.steal - before.steal) / total, 1),
    }
