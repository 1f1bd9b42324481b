"""Which topic each sensor's samples are published on, from what subscribers asked for.

A batch costs a subscriber the same fixed work whatever its size, so splitting every domain by
area would multiply the messages of a seat that shows the whole city by the number of areas.
A backend therefore splits out only the areas somebody subscribed to by area (it learns them
through an XPUB socket, from consoles or from a relay) and sends the rest of each domain as one
`tel.<domain>` batch; areas wanted by the same subscribers share one batch, on a topic that is
their area ids' longest common prefix (`tel.gas.D03:A` for D03:A1 .. D03:A4). Every subscriber
still gets exactly the samples its prefixes match, once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from backend_client.city import DOMAINS, Sensor
from backend_client.protocol import TELEMETRY_PREFIX
from backend_client.topics import telemetry_topic

SUBSCRIBE, UNSUBSCRIBE = 1, 0  # first byte of an XPUB subscription message


def _common_prefix(texts: list[str]) -> str:
    """The longest prefix all texts share, character by character."""
    first, last = min(texts), max(texts)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]


class TopicPlan:
    """Sensor -> topic code, rebuilt when the set of area-level subscriptions changes."""

    def __init__(self, sensors: Sequence[Sensor], split_all: bool = False) -> None:
        self._split_all = split_all  # every area on a topic of its own, whoever subscribed
        self._domain = [s.domain for s in sensors]
        self._fine = [telemetry_topic(s.domain, s.area) for s in sensors]
        self._subscriptions: set[bytes] = set()
        self.topics: list[str] = []
        self.codes = np.zeros(len(sensors), dtype=np.int32)
        self._rebuild()

    @property
    def subscriptions(self) -> frozenset[bytes]:
        """Telemetry prefixes subscribed now (each once, as a non-verbose XPUB reports them)."""
        return frozenset(self._subscriptions)

    def on_subscription(self, message: bytes) -> bool:
        """Apply one XPUB subscription message; True when the topics changed."""
        if not message:
            return False
        kind, prefix = message[0], bytes(message[1:])
        if kind == SUBSCRIBE:
            self._subscriptions.add(prefix)
        elif kind == UNSUBSCRIBE:
            self._subscriptions.discard(prefix)
        else:
            return False
        before = self.topics
        self._rebuild()
        return self.topics != before

    def _interest(self, fine: str, domain: str) -> frozenset[bytes]:
        """The subscriptions finer than its domain that match an area's topic."""
        topic = TELEMETRY_PREFIX + fine.encode("ascii")
        coarse = len(TELEMETRY_PREFIX) + len(domain)
        return frozenset(s for s in self._subscriptions if len(s) > coarse and topic.startswith(s))

    def _rebuild(self) -> None:
        chosen: dict[str, str] = {}
        groups: dict[tuple[str, object], list[str]] = defaultdict(list)
        for fine, domain in set(zip(self._fine, self._domain, strict=True)):
            if fine == domain:  # no area, or one that cannot be a topic
                chosen[fine] = domain
            elif self._split_all:
                groups[(domain, fine)].append(fine)
            elif interest := self._interest(fine, domain):
                groups[(domain, interest)].append(fine)
            else:
                chosen[fine] = domain
        # areas matched by the same subscriptions travel together, on their longest common
        # prefix: it starts with each of those subscriptions and with no other finer one
        for fines in groups.values():
            shared = _common_prefix(fines)
            chosen.update(dict.fromkeys(fines, shared))
        self.topics = sorted(
            set(chosen.values()), key=lambda t: (DOMAINS.index(t.split(".")[0]), t)
        )
        code = {t: k for k, t in enumerate(self.topics)}
        self.codes = np.array([code[chosen[f]] for f in self._fine], dtype=np.int32)
