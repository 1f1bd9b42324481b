"""The wall alarm queue without Qt: order, filters, counts, first-out and flood grouping by asset.

Alarm changes arrive in batches (one per display frame); each batch updates sorted key lists
by bisect or one merge, counts and per-asset tallies incrementally. Nothing is re-sorted per
change, and a Qt model only presents what this holds.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from backend_client.city import Sensor
from backend_client.model.alarm_queue_keys import (
    STANDING_STATES,
    UNACKED_STATES,
    SortedKeys,
    SortKey,
    queue_key,
)
from backend_client.model.alarm_queue_raises import RaiseHistory
from backend_client.protocol import OPEN_LOOP_STAGES, AlarmRecord, AlarmState

ANNUNCIATED_LEVELS = (1, 2)
NO_ASSET = "(no asset)"


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """An alarm with what the queue sorts, filters and groups it by."""

    alarm: AlarmRecord
    domain: str
    area: str
    asset: str
    key: SortKey

    @property
    def id(self) -> str:
        return self.alarm.id

    @property
    def unacked(self) -> bool:
        return self.alarm.state in UNACKED_STATES


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Empty sets accept everything; asset narrows to one flood group."""

    domains: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    states: frozenset[AlarmState] = frozenset()
    asset: str | None = None

    def accepts(self, entry: QueueEntry) -> bool:
        return (
            (not self.domains or entry.domain in self.domains)
            and (not self.areas or entry.area in self.areas)
            and (not self.states or entry.alarm.state in self.states)
            and (self.asset is None or entry.asset == self.asset)
        )


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """Standing alarms (unacked, cleared-unacked, acked) per level and domain; shelved apart."""

    by_level: Mapping[int, int]
    by_domain: Mapping[str, int]
    unacked: int
    standing: int
    set_aside: int  # shelved, suppressed, out of service


@dataclass(frozen=True, slots=True)
class AssetGroup:
    """One row of the flood view: every visible alarm of an asset, counted."""

    asset: str
    count: int
    unacked: int
    level: int  # most severe
    newest_us: int
    domain: str
    area: str

    @property
    def key(self) -> tuple[int, int, int, str]:
        return (0 if self.unacked else 1, self.level, -self.newest_us, self.asset)


@dataclass(slots=True)
class _Tally:
    count: int = 0
    unacked: int = 0
    levels: list[int] = field(default_factory=lambda: [0] * 6)
    raised: list[int] = field(default_factory=list)  # sorted
    domain: str = ""
    area: str = ""

    def group(self, asset: str) -> AssetGroup:
        level = next((lv for lv in range(1, 6) if self.levels[lv]), 5)
        return AssetGroup(
            asset, self.count, self.unacked, level, self.raised[-1], self.domain, self.area
        )


@dataclass(frozen=True, slots=True)
class QueueUpdate:
    """What one batch did: the Qt model emits its signals and the annunciator hears new raises."""

    added: int = 0
    removed: int = 0
    changed: int = 0
    raised: tuple[AlarmRecord, ...] = ()  # newly raised or escalated, unacknowledged, level I/II
    full: bool = False

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.full)


class AlarmQueue:
    """Queue order, filter, counts, first-out and asset groups over the alarm book's records."""

    def __init__(
        self,
        sensors: Sequence[Sensor] = (),
        area_names: Mapping[str, str] | None = None,
        raises: RaiseHistory | None = None,
    ) -> None:
        self._sensors: dict[str, Sensor] = {}
        self._area_names: Mapping[str, str] = {}
        self._entries: dict[str, QueueEntry] = {}
        self._all = SortedKeys()
        self._visible = SortedKeys()
        self._filter = QueueFilter()
        self._levels: Counter[int] = Counter()
        self._domains: Counter[str] = Counter()
        self._unacked = 0
        self._set_aside = 0
        self._tallies: dict[str, _Tally] = {}
        self._groups = SortedKeys()
        self._group_keys: dict[str, tuple] = {}
        self.raises = raises or RaiseHistory()
        self.backend_flood: bool | None = None  # a backend's own flood flag wins when it sends one
        self.set_sensors(sensors, area_names)

    # --- inputs ---------------------------------------------------------------------------------

    def set_sensors(
        self, sensors: Sequence[Sensor], area_names: Mapping[str, str] | None = None
    ) -> None:
        """Domain, area and asset come from the catalog; re-derive them for every alarm."""
        self._sensors = {s.id: s for s in sensors}
        self._area_names = dict(area_names or {})
        self.reset([e.alarm for e in self._entries.values()])

    def reset(self, alarms: Iterable[AlarmRecord]) -> QueueUpdate:
        """Replace everything (a snapshot); raises are remembered but never annunciated."""
        entries = [self._entry(a) for a in alarms if _queued(a)]
        self._entries = {e.id: e for e in entries}
        self._all.reset(e.key for e in entries)
        self._levels, self._domains = Counter(), Counter()
        self._unacked = self._set_aside = 0
        for e in entries:
            self._count(e, 1)
        self.raises.add((e.id, e.alarm.raised_us) for e in entries)
        self._rebuild_visible()
        return QueueUpdate(added=len(entries), full=True)

    def apply(self, changed: Mapping[str, AlarmRecord | None]) -> QueueUpdate:
        """Apply one batch of changed records (None, or normal with its loop closed: gone)."""
        removed_keys: list[SortKey] = []
        added_keys: list[SortKey] = []
        hidden: list[QueueEntry] = []
        shown: list[QueueEntry] = []
        raised: list[AlarmRecord] = []
        new_raises: list[tuple[str, int]] = []
        n_added = n_removed = n_changed = 0
        for alarm_id, record in changed.items():
            old = self._entries.get(alarm_id)
            if record is not None and not _queued(record):
                record = None
            if old is None and record is None:
                continue
            if old is not None and record is not None and old.alarm == record:
                continue
            if old is not None:
                del self._entries[alarm_id]
                removed_keys.append(old.key)
                self._count(old, -1)
                if self._filter.accepts(old):
                    hidden.append(old)
            if record is None:
                n_removed += 1
                continue
            entry = self._entry(record)
            self._entries[alarm_id] = entry
            added_keys.append(entry.key)
            self._count(entry, 1)
            if self._filter.accepts(entry):
                shown.append(entry)
            n_changed += old is not None
            n_added += old is None
            new_raise = old is None or old.alarm.raised_us != record.raised_us
            if new_raise:
                new_raises.append((alarm_id, record.raised_us))
            escalated = old is not None and record.level < old.alarm.level
            if (
                (new_raise or escalated)
                and record.state == AlarmState.UNACK
                and record.level in ANNUNCIATED_LEVELS
            ):
                raised.append(record)
        self._all.update(removed_keys, added_keys)
        self._visible.update((e.key for e in hidden), (e.key for e in shown))
        self._regroup(hidden, shown)
        self.raises.add(new_raises)
        return QueueUpdate(n_added, n_removed, n_changed, tuple(raised))

    def set_filter(self, queue_filter: QueueFilter) -> None:
        if queue_filter != self._filter:
            self._filter = queue_filter
            self._rebuild_visible()

    @property
    def filter(self) -> QueueFilter:
        return self._filter

    def set_backend_flood(self, flooding: bool | None) -> None:
        """A backend that judges floods itself overrides the console's own count."""
        self.backend_flood = flooding

    # --- what views read ------------------------------------------------------------------------

    def __len__(self) -> int:
        """Visible (filtered) alarms."""
        return len(self._visible)

    @property
    def total(self) -> int:
        return len(self._all)

    def entry_at(self, row: int) -> QueueEntry | None:
        if 0 <= row < len(self._visible):
            return self._entries[self._visible[row][-1]]
        return None

    def row_of(self, alarm_id: str) -> int:
        """Visible row of an alarm, or -1; a bisect, not a scan."""
        entry = self._entries.get(alarm_id)
        return -1 if entry is None else self._visible.index(entry.key)

    def get(self, alarm_id: str) -> QueueEntry | None:
        return self._entries.get(alarm_id)

    def entries(self) -> list[QueueEntry]:
        """Visible alarms in queue order."""
        return [self._entries[k[-1]] for k in self._visible]

    def counts(self) -> QueueCounts:
        return QueueCounts(
            dict(self._levels),
            dict(self._domains),
            self._unacked,
            sum(self._levels.values()),
            self._set_aside,
        )

    def is_first_out(self, entry: QueueEntry) -> bool:
        return self.raises.is_first_out(entry.id, entry.alarm.raised_us)

    def flooding(self, now_us: int) -> bool:
        if self.backend_flood is not None:
            return self.backend_flood
        return self.raises.flooding(now_us)

    def group_count(self) -> int:
        return len(self._groups)

    def group_at(self, row: int) -> AssetGroup | None:
        if 0 <= row < len(self._groups):
            asset = self._groups[row][-1]
            return self._tallies[asset].group(asset)
        return None

    def group_row_of(self, asset: str) -> int:
        key = self._group_keys.get(asset)
        return -1 if key is None else self._groups.index(key)

    def groups(self) -> list[AssetGroup]:
        """Visible alarms grouped by asset, groups in queue order (unacked, level, newest)."""
        return [self._tallies[k[-1]].group(k[-1]) for k in self._groups]

    def domains(self) -> list[str]:
        return sorted({s.domain for s in self._sensors.values()} | set(self._domains))

    def areas(self) -> list[str]:
        return sorted({self._area(s) for s in self._sensors.values()} - {""})

    # --- internals ------------------------------------------------------------------------------

    def _area(self, sensor: Sensor) -> str:
        return self._area_names.get(sensor.area, sensor.area)

    def _entry(self, alarm: AlarmRecord) -> QueueEntry:
        sensor = self._sensors.get(alarm.sensor) or self._sensors.get(alarm.id)
        if sensor is None:
            return QueueEntry(alarm, "", "", NO_ASSET, queue_key(alarm))
        return QueueEntry(
            alarm, sensor.domain, self._area(sensor), sensor.asset or NO_ASSET, queue_key(alarm)
        )

    def _count(self, entry: QueueEntry, sign: int) -> None:
        state = entry.alarm.state
        if state == AlarmState.NORMAL:
            return  # cleared, waiting for its loop to close: listed, not counted as standing
        if state in STANDING_STATES:
            self._levels[entry.alarm.level] += sign
            self._domains[entry.domain] += sign
            if not self._levels[entry.alarm.level]:
                del self._levels[entry.alarm.level]
            if not self._domains[entry.domain]:
                del self._domains[entry.domain]
            self._unacked += sign * (state in UNACKED_STATES)
        else:
            self._set_aside += sign

    def _rebuild_visible(self) -> None:
        shown = [e for e in self._entries.values() if self._filter.accepts(e)]
        self._visible.reset(e.key for e in shown)
        self._tallies, self._group_keys = {}, {}
        self._groups.reset(())
        self._regroup([], shown)

    def _regroup(self, hidden: list[QueueEntry], shown: list[QueueEntry]) -> None:
        """Update per-asset tallies incrementally and re-place only the groups that changed."""
        touched: set[str] = set()
        for entry, sign in [*((e, -1) for e in hidden), *((e, 1) for e in shown)]:
            tally = self._tallies.get(entry.asset)
            if tally is None:
                tally = self._tallies[entry.asset] = _Tally(domain=entry.domain, area=entry.area)
            tally.count += sign
            tally.unacked += sign * entry.unacked
            tally.levels[min(max(entry.alarm.level, 0), 5)] += sign
            if sign > 0:
                insort(tally.raised, entry.alarm.raised_us)
            else:
                del tally.raised[bisect_left(tally.raised, entry.alarm.raised_us)]
            touched.add(entry.asset)
        removed, added = [], []
        for asset in touched:
            old = self._group_keys.pop(asset, None)
            if old is not None:
                removed.append(old)
            tally = self._tallies[asset]
            if tally.count <= 0:
                del self._tallies[asset]
                continue
            key = tally.group(asset).key
            self._group_keys[asset] = key
            added.append(key)
        self._groups.update(removed, added)


def _queued(alarm: AlarmRecord) -> bool:
    """Abnormal alarms, and cleared ones whose closed loop a supervisor still has to carry on."""
    return alarm.state != AlarmState.NORMAL or alarm.loop in OPEN_LOOP_STAGES
