"""Alarm queue sort keys and a sorted key list updated per batch, never re-sorted per change."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator

from backend_client.protocol import AlarmRecord, AlarmState

UNACKED_STATES = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK})
STANDING_STATES = frozenset({AlarmState.UNACK, AlarmState.RTN_UNACK, AlarmState.ACKED})
# unacknowledged first (cleared-but-unacked included), then acknowledged, then set aside
STATE_GROUP = {
    AlarmState.UNACK: 0,
    AlarmState.RTN_UNACK: 0,
    AlarmState.ACKED: 1,
    AlarmState.SHELVED: 2,
    AlarmState.SUPPRESSED: 3,
    AlarmState.OUT_OF_SERVICE: 4,
    AlarmState.NORMAL: 5,
}
SMALL_BATCH = 64  # up to this many keys a batch goes through bisect; more are merged in one pass

SortKey = tuple[int, int, int, str]


def queue_key(alarm: AlarmRecord) -> SortKey:
    """Unacknowledged first, then level (I first), then newest; the id makes every key unique."""
    return (STATE_GROUP[alarm.state], alarm.level, -alarm.raised_us, alarm.id)


class SortedKeys:
    """Sorted unique keys; a batch costs bisects when small, one linear merge when large."""

    __slots__ = ("_keys",)

    def __init__(self, keys: Iterable[tuple] = ()) -> None:
        self._keys: list[tuple] = sorted(keys)

    def reset(self, keys: Iterable[tuple]) -> None:
        self._keys = sorted(keys)

    def update(self, removed: Iterable[tuple], added: Iterable[tuple]) -> None:
        """Remove then add keys; removing an absent key is a no-op."""
        removed = list(removed)
        added = list(added)
        keys = self._keys
        if len(removed) + len(added) <= max(SMALL_BATCH, len(keys) // 64):
            for key in removed:
                i = bisect_left(keys, key)
                if i < len(keys) and keys[i] == key:
                    del keys[i]
            for key in added:
                insort(keys, key)
            return
        gone = set(removed)
        kept = [k for k in keys if k not in gone] if gone else keys
        added.sort()
        kept.extend(added)
        kept.sort()  # two sorted runs: Timsort merges them in linear time
        self._keys = kept

    def index(self, key: tuple) -> int:
        """Position of key, or -1."""
        i = bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else -1

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, i: int) -> tuple:
        return self._keys[i]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._keys)
