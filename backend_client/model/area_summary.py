"""Summary tiles without Qt: alarm counts per domain and per area, kept from alarm-book deltas.

Every alarm in the book lands in one cell of a (group, state, level) count array per grouping;
a refresh applies only the alarms changed since the last one (two bincounts), and a summary is
read from the arrays in O(groups). Both groupings are kept at once, so switching is free.

Worst state, most urgent first (the order of WORST_STATE_ORDER), and why:
  unack       the condition stands and nobody has seen it: act now;
  rtn_unack   nobody has seen it, but the condition has cleared;
  acked       the condition stands and an operator owns it;
  shelved, suppressed, oos
              set aside on purpose (by an operator, by design, for maintenance): not urgent,
              but counted apart and shown, since each one may hide a real condition;
  normal      nothing standing (a cleared alarm whose closed loop is still open counts here).
The worst level is the most severe level among standing alarms (unack, rtn_unack, acked), the
ones the queue header counts: an acknowledged level I condition still makes the group red.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from backend_client.city import DOMAINS, Sensor
from backend_client.model.alarm_book import AlarmBook, AlarmCursor
from backend_client.model.console_model import OFFLINE_AFTER_S
from backend_client.protocol import AlarmRecord, AlarmState, Quality

GROUPINGS = ("domain", "area")
UNASSIGNED = ""  # the group of alarms whose sensor the catalog lacks, and of sensors with no area

WORST_STATE_ORDER = (
    AlarmState.UNACK,
    AlarmState.RTN_UNACK,
    AlarmState.ACKED,
    AlarmState.SHELVED,
    AlarmState.SUPPRESSED,
    AlarmState.OUT_OF_SERVICE,
    AlarmState.NORMAL,
)
_STATE_CODE = {state: code for code, state in enumerate(WORST_STATE_ORDER)}
_UNACK, _RTN_UNACK, _ACKED, _SHELVED, _SUPPRESSED, _OOS, _NORMAL = range(len(WORST_STATE_ORDER))
_STANDING = [_UNACK, _RTN_UNACK, _ACKED]
N_STATES = len(WORST_STATE_ORDER)
N_LEVELS = 5  # 1..4 are levels I..IV; 0 holds a level outside them (counted, never the worst)


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """What one tile shows: standing alarms by level, the unacknowledged, the set aside, health."""

    key: str  # domain, or area id; UNASSIGNED for alarms of unknown sensors
    name: str  # the area's name, or the domain / key as it is (the view translates domains)
    sensors: int
    by_level: tuple[int, int, int, int]  # standing alarms of level I, II, III, IV
    unacked: int  # unack + rtn_unack
    shelved: int
    suppressed: int
    out_of_service: int
    open_loops: int  # cleared alarms whose closed loop is still open
    worst_level: int  # 1..4, 0 when nothing stands
    worst_state: AlarmState
    bad_quality: int = 0  # sensors reporting a non-good quality flag (and not offline)
    offline: int = 0  # sensors with no sample for longer than their offline limit

    @property
    def standing(self) -> int:
        return sum(self.by_level)

    @property
    def set_aside(self) -> int:
        return self.shelved + self.suppressed + self.out_of_service

    @property
    def all_clear(self) -> bool:
        return self.worst_state == AlarmState.NORMAL


@dataclass(slots=True)
class _Grouping:
    """One way of grouping: each sensor's group, the group keys and names, and the counts."""

    keys: list[str]
    names: list[str]
    of_sensor: np.ndarray  # int64 group index per sensor (channel order)
    sensors: np.ndarray  # sensors per group
    counts: np.ndarray  # int64 (groups, N_STATES, N_LEVELS)
    bad: np.ndarray
    offline: np.ndarray
    table: np.ndarray | None = None  # the last summaries as numbers, one row per group
    items: list[GroupSummary | None] = field(default_factory=list)  # ... and as objects


class AreaSummaries:
    """Per-domain and per-area summaries of an alarm book; a refresh costs the alarms changed."""

    def __init__(
        self, sensors: Sequence[Sensor] = (), area_names: Mapping[str, str] | None = None
    ) -> None:
        self._records: dict[str, AlarmRecord] = {}
        self._cursor: AlarmCursor | None = None
        self._book_version = -1
        self._bad = np.zeros(0, dtype=bool)
        self._offline = np.zeros(0, dtype=bool)
        self._cache: dict[str, tuple[int, tuple[GroupSummary, ...]]] = {}
        self.version = 0  # bumped whenever a summary may have changed
        self.set_catalog(sensors, area_names)

    # --- inputs ---------------------------------------------------------------------------------

    def set_catalog(
        self, sensors: Sequence[Sensor], area_names: Mapping[str, str] | None = None
    ) -> None:
        """Groups come from the catalog (areas in the order of area_names); counts re-derived."""
        self._sensors = tuple(sensors)
        self._index = {s.id: i for i, s in enumerate(self._sensors)}
        names = dict(area_names or {})
        present = {s.domain for s in self._sensors} - {UNASSIGNED}
        domains = [d for d in DOMAINS if d in present] + sorted(present - set(DOMAINS))
        areas = [a for a in names if a != UNASSIGNED]
        areas += sorted({s.area for s in self._sensors} - set(areas) - {UNASSIGNED})
        self._groupings = {
            "domain": self._grouping(domains, {}, [s.domain for s in self._sensors]),
            "area": self._grouping(areas, names, [s.area for s in self._sensors]),
        }
        n = len(self._sensors)
        self._bad, self._offline = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        self._recount()

    def reset(self, alarms: Iterable[AlarmRecord]) -> None:
        """Replace every alarm (a snapshot): one vectorised pass."""
        self._records = {a.id: a for a in alarms}
        self._recount()

    def apply(self, changed: Mapping[str, AlarmRecord | None]) -> bool:
        """Apply changed records (None: gone from the book); True when any count moved."""
        removed: list[AlarmRecord] = []
        added: list[AlarmRecord] = []
        records = self._records
        for alarm_id, record in changed.items():
            old = records.get(alarm_id)
            if old is None and record is None:
                continue
            if old is not None and record is not None and _same_cell(old, record):
                records[alarm_id] = record  # a note or a loop step: no count moves
                continue
            if old is not None:
                removed.append(old)
            if record is None:
                records.pop(alarm_id, None)
            else:
                records[alarm_id] = record
                added.append(record)
        if not removed and not added:
            return False
        gone, new = self._cells(removed), self._cells(added)
        for grouping in self._groupings.values():
            size = grouping.counts.size
            delta = np.bincount(self._flat(grouping, *new), minlength=size)
            delta -= np.bincount(self._flat(grouping, *gone), minlength=size)
            grouping.counts += delta.reshape(grouping.counts.shape)
        self._changed()
        return True

    def sync(self, book: AlarmBook) -> bool:
        """Read what changed in the book since the last sync; True when a summary may differ."""
        if book.version == self._book_version and self._cursor is not None:
            return False
        self._book_version = book.version
        delta = book.changes_since(self._cursor)
        self._cursor = delta.cursor
        if delta.full:
            self.reset(a for a in delta.alarms.values() if a is not None)
            return True
        return self.apply(delta.alarms)

    def set_health(self, bad: np.ndarray, offline: np.ndarray) -> bool:
        """Per-sensor bad-quality and offline masks (channel order); True when a count moved."""
        bad = np.asarray(bad, dtype=bool)
        offline = np.asarray(offline, dtype=bool)
        if bad.shape != self._bad.shape or offline.shape != self._offline.shape:
            raise ValueError(f"health masks must have {len(self._sensors)} sensors")
        if np.array_equal(bad, self._bad) and np.array_equal(offline, self._offline):
            return False
        self._bad, self._offline = bad.copy(), offline.copy()
        self._count_health()
        self._changed()
        return True

    # --- what views read ------------------------------------------------------------------------

    def summaries(self, group_by: str) -> tuple[GroupSummary, ...]:
        """One summary per group in a stable order; groups with no alarms are all clear."""
        if group_by not in GROUPINGS:
            raise ValueError(f"group_by must be one of {GROUPINGS}, got {group_by!r}")
        cached = self._cache.get(group_by)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        result = self._summarise(self._groupings[group_by])
        self._cache[group_by] = (self.version, result)
        return result

    def groups(self, group_by: str) -> list[str]:
        """The group keys of a grouping, in tile order (the unassigned group only when used)."""
        return [s.key for s in self.summaries(group_by)]

    # --- internals ------------------------------------------------------------------------------

    def _grouping(self, keys: list[str], names: Mapping[str, str], of: list[str]) -> _Grouping:
        keys = [*keys, UNASSIGNED]  # last: alarms of unknown sensors, sensors with no group
        position = {k: i for i, k in enumerate(keys)}
        of_sensor = np.fromiter((position[k] for k in of), dtype=np.int64, count=len(of))
        g = len(keys)
        return _Grouping(
            keys=keys,
            names=[names.get(k, k) for k in keys],
            of_sensor=of_sensor,
            sensors=np.bincount(of_sensor, minlength=g),
            counts=np.zeros((g, N_STATES, N_LEVELS), dtype=np.int64),
            bad=np.zeros(g, dtype=np.int64),
            offline=np.zeros(g, dtype=np.int64),
        )

    def _cells(self, alarms: list[AlarmRecord]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sensor index (-1: unknown), state code and level code of each alarm."""
        n = len(alarms)
        index = self._index
        sensor = np.fromiter((index.get(a.sensor, -1) for a in alarms), dtype=np.int64, count=n)
        state = np.fromiter((_STATE_CODE[a.state] for a in alarms), dtype=np.int64, count=n)
        level = np.fromiter((a.level for a in alarms), dtype=np.int64, count=n)
        level[(level < 1) | (level >= N_LEVELS)] = 0
        return sensor, state, level

    @staticmethod
    def _flat(
        grouping: _Grouping, sensor: np.ndarray, state: np.ndarray, level: np.ndarray
    ) -> np.ndarray:
        unassigned = len(grouping.keys) - 1
        group = np.full(sensor.shape, unassigned, dtype=np.int64)
        known = sensor >= 0
        group[known] = grouping.of_sensor[sensor[known]]
        return (group * N_STATES + state) * N_LEVELS + level

    def _recount(self) -> None:
        cells = self._cells(list(self._records.values()))
        for grouping in self._groupings.values():
            flat = self._flat(grouping, *cells)
            counts = np.bincount(flat, minlength=grouping.counts.size)
            grouping.counts = counts.reshape(grouping.counts.shape).astype(np.int64)
        self._count_health()
        self._changed()

    def _count_health(self) -> None:
        offline = self._offline
        bad = self._bad & ~offline  # an offline sensor's last quality says nothing now
        for grouping in self._groupings.values():
            g = len(grouping.keys)
            grouping.bad = np.bincount(grouping.of_sensor[bad], minlength=g)
            grouping.offline = np.bincount(grouping.of_sensor[offline], minlength=g)

    def _changed(self) -> None:
        self.version += 1
        self._cache.clear()

    def _summarise(self, grouping: _Grouping) -> tuple[GroupSummary, ...]:
        """Every count as one table row per group; only rows that changed become new objects."""
        counts = grouping.counts
        by_state = counts.sum(axis=2)  # (groups, states)
        by_level = counts[:, _STANDING, 1:].sum(axis=1)  # (groups, levels I..IV)
        present = by_level > 0
        worst_level = np.where(present.any(axis=1), present.argmax(axis=1) + 1, 0)
        has_state = by_state[:, :_NORMAL] > 0
        worst_state = np.where(has_state.any(axis=1), has_state.argmax(axis=1), _NORMAL)
        table = np.column_stack(
            (
                grouping.sensors,
                by_level,
                by_state[:, _UNACK] + by_state[:, _RTN_UNACK],
                by_state[:, [_SHELVED, _SUPPRESSED, _OOS, _NORMAL]],
                worst_level,
                worst_state,
                grouping.bad,
                grouping.offline,
                by_state.sum(axis=1),
            )
        )
        items = grouping.items
        if grouping.table is None or grouping.table.shape != table.shape:
            items = [None] * len(table)
            changed = np.arange(len(table))
        else:
            changed = np.flatnonzero((grouping.table != table).any(axis=1))
        for i, row in zip(changed.tolist(), table[changed].tolist(), strict=True):
            (n, l1, l2, l3, l4, unacked, shelved, suppressed, oos, loops, level, state) = row[:12]
            items[i] = GroupSummary(
                key=grouping.keys[i],
                name=grouping.names[i],
                sensors=n,
                by_level=(l1, l2, l3, l4),
                unacked=unacked,
                shelved=shelved,
                suppressed=suppressed,
                out_of_service=oos,
                open_loops=loops,
                worst_level=level,
                worst_state=WORST_STATE_ORDER[state],
                bad_quality=row[12],
                offline=row[13],
            )
        grouping.table, grouping.items = table, items
        last = len(items) - 1  # the unassigned group shows only when something is in it
        shown = items if table[last, 0] or table[last, -1] else items[:last]
        return tuple(s for s in shown if s is not None)


def _same_cell(a: AlarmRecord, b: AlarmRecord) -> bool:
    return a.state == b.state and a.level == b.level and a.sensor == b.sensor


def offline_limits_us(sensors: Sequence[Sensor]) -> np.ndarray:
    """Per-sensor silence after which it counts as offline: ConsoleModel.sensor_codes' rule."""
    return np.array(
        [max(OFFLINE_AFTER_S, 3.0 / s.rate_hz) * 1e6 for s in sensors], dtype=np.float64
    )


def sensor_health(
    quality: np.ndarray, times_us: np.ndarray, limits_us: np.ndarray, now_us: int
) -> tuple[np.ndarray, np.ndarray]:
    """Bad-quality and offline masks from each sensor's newest sample, as the 3D scene has them."""
    bad = (quality != Quality.GOOD) & (quality != Quality.MISSING)
    offline = (times_us == 0) | (now_us - times_us > limits_us)
    return bad, offline
