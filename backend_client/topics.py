"""Telemetry topic names (`tel.<domain>.<area>`) and the prefixes a seat's interests subscribe to.

A backend publishes each batch on its sensors' domain and area, so a seat that shows one district
subscribes to that district's prefixes only and ZeroMQ (or a relay's XPUB) never sends it the
rest of the province. Alarms and heartbeats are not filtered: see docs/protocol.md section 1.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass

from backend_client.city import DOMAINS
from backend_client.protocol import MAX_TOPIC_BYTES, TELEMETRY_PREFIX

ANY_DOMAIN = "*"
_TOPIC_ROOM = MAX_TOPIC_BYTES - len(TELEMETRY_PREFIX)


def telemetry_topic(domain: str, area: str = "") -> str:
    """The topic after `tel.` for a domain's sensors in one area; the bare domain without one.

    An area that cannot travel in a topic (not printable ASCII, a space, or too long) falls back
    to the domain topic, which every domain subscriber still receives.
    """
    name = f"{domain}.{area}"
    if not area or not area.isascii() or not area.isprintable() or " " in area:
        return domain
    return name if len(name) <= _TOPIC_ROOM else domain


@dataclass(frozen=True, slots=True)
class Interest:
    """One thing a seat shows: a domain (or every domain) and optionally an area-id prefix."""

    domain: str = ANY_DOMAIN
    area: str = ""

    def prefixes(self) -> list[bytes]:
        """ZeroMQ subscriptions for this interest; an area matches by prefix ("D03:" = district)."""
        domains = DOMAINS if self.domain == ANY_DOMAIN else (self.domain,)
        if not self.area:
            return [TELEMETRY_PREFIX + d.encode("ascii") for d in domains]
        return [TELEMETRY_PREFIX + telemetry_topic(d, self.area).encode("ascii") for d in domains]


def parse_interest(text: str) -> Interest:
    """`gas`, `gas/A1`, `*/D03:` or `D03:` alone (`*/D03:`); raises ValueError naming the text."""
    text = text.strip()
    if not text:
        raise ValueError("interest is empty: give a domain, domain/area or an area")
    domain, sep, area = text.partition("/")
    if not sep and domain not in DOMAINS and domain != ANY_DOMAIN:
        domain, area = ANY_DOMAIN, text  # a bare area: every domain in it
    domain = domain or ANY_DOMAIN
    if domain != ANY_DOMAIN and domain not in DOMAINS:
        raise ValueError(
            f"interest {text!r}: domain {domain!r} is not one of {', '.join(DOMAINS)} or '*'"
        )
    if area and telemetry_topic(DOMAINS[0], area) == DOMAINS[0]:
        raise ValueError(f"interest {text!r}: area {area!r} cannot be a topic (printable ASCII)")
    return Interest(domain, area)


def telemetry_subscriptions(interests: Iterable[str]) -> list[bytes]:
    """The telemetry prefixes for a seat's interests; none given means everything (`tel.`)."""
    parsed = [parse_interest(i) for i in interests]
    if not parsed:
        return [TELEMETRY_PREFIX]
    out: list[bytes] = []
    for interest in parsed:
        out.extend(p for p in interest.prefixes() if p not in out)
    return out


def interest_argument(text: str) -> str:
    """argparse type for `--interest`: the text back, or the reason it is not an interest."""
    try:
        parse_interest(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text
