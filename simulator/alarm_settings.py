"""Per-alarm settings: defaults by (domain, type), overridden by a sensor's `alarm` in the city.

Limits and deadband stay on the sensor (`Sensor.limits`); this adds what the engine needs beyond
them: on/off delays, latching, the guidance an operator reads and the unit a dispatch goes to.
The defaults are documented in docs/city-model.md (section 9.2); change both together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backend_client.city import City, Sensor

DEFAULT_RESPONSIBLE = {
    "gas": "Gas company",
    "water": "Water company",
    "drainage": "Drainage authority",
    "heating": "Heating company",
    "bridge": "Bridge owner",
    "tunnel": "Tunnel operator",
}

LATCHING_TYPES = frozenset({("tunnel", "CH4"), ("tunnel", "H2S"), ("gas", "CH4")})

GUIDANCE = {
    ("tunnel", "CH4"): "Check ventilation started in the zone and both neighbours; keep crews "
    "out of the gas compartment; call the tunnel operator, then the gas company.",
    ("tunnel", "O2"): "Do not send anyone in without breathing apparatus; start ventilation; "
    "call the tunnel operator.",
    ("tunnel", "H2S"): "Toxic gas: keep crews out, start ventilation, check the sewage and "
    "water compartments; call the tunnel operator.",
    ("tunnel", "TEMP"): "Check the CCTV for smoke or fire in the zone; call the tunnel operator; "
    "fire brigade (119) if smoke is seen.",
    ("tunnel", "HUM"): "Look for a leaking water or heating pipe in the zone; call the tunnel "
    "operator.",
    ("tunnel", "SUMP"): "Check the sump pumps run; look for a burst main; call the tunnel "
    "operator.",
    ("gas", "PRESS"): "Compare with neighbouring pressure points; a fall suggests a leak or "
    "rupture; call the gas company.",
    ("gas", "CH4"): "Gas in a manhole: keep ignition sources away, cordon it off; call the gas "
    "company at once.",
    ("water", "PRESS"): "A drop with rising flow suggests a burst main; call the water company.",
    ("water", "FLOW"): "Check for a burst main or unusual draw; call the water company.",
    ("drainage", "LEVEL"): "Manhole close to surcharge: check rainfall and downstream levels; "
    "call the drainage authority.",
    ("drainage", "RAIN"): "Heavy rain: watch manhole levels and ponding; warn the drainage "
    "authority.",
    ("drainage", "POND"): "Surface flooding: warn traffic police; call the drainage authority.",
    ("heating", "TEMP"): "Check the plant and neighbouring points; call the heating company.",
    ("heating", "PRESS"): "A fall suggests a leak; call the heating company.",
    ("bridge", "STRAIN"): "Check the CCTV for an overweight vehicle; consider closing a lane; "
    "call the bridge owner.",
    ("bridge", "DEFL"): "Check traffic load on the deck; call the bridge owner.",
    ("bridge", "ACCEL"): "Unusual vibration: check traffic, wind and any impact; call the bridge "
    "owner.",
}


@dataclass(frozen=True, slots=True)
class AlarmSettings:
    """Everything the engine needs about one alarm beyond its limits."""

    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    latching: bool = False
    guidance: str = ""
    responsible: str = ""


def asset_owners(city: City) -> dict[tuple[str, str], str]:
    """Owner by (asset id, sensor domain); a node takes its pipeline's owner in that domain."""
    owners = {(t.id, "tunnel"): t.owner for t in city.tunnels}
    owners |= {(p.id, p.domain): p.owner for p in city.pipelines}
    owners |= {(b.id, "bridge"): b.owner for b in city.bridges}
    pipes = {p.id: p for p in city.pipelines}
    for n in city.nodes:
        pipe = pipes.get(n.pipeline)
        if pipe is not None:  # a gas detector in a sewer manhole is still the gas company's
            owners[(n.id, pipe.domain)] = pipe.owner
    return owners


def default_settings(sensor: Sensor, owner: str = "") -> AlarmSettings:
    """The settings of a sensor from its (domain, type) and asset owner, before overrides."""
    key = (sensor.domain, sensor.type)
    return AlarmSettings(
        latching=key in LATCHING_TYPES,
        guidance=GUIDANCE.get(key, ""),
        responsible=owner or DEFAULT_RESPONSIBLE.get(sensor.domain, ""),
    )


def settings_for(sensor: Sensor, owner: str = "") -> AlarmSettings:
    """A sensor's settings: defaults, then whatever its `alarm` object in the city sets."""
    base = default_settings(sensor, owner)
    o = sensor.alarm
    if o is None:
        return base
    return AlarmSettings(
        on_delay_s=base.on_delay_s if o.on_delay_s is None else o.on_delay_s,
        off_delay_s=base.off_delay_s if o.off_delay_s is None else o.off_delay_s,
        latching=base.latching if o.latching is None else o.latching,
        guidance=base.guidance if o.guidance is None else o.guidance,
        responsible=base.responsible if o.responsible is None else o.responsible,
    )


def resolve_settings(
    sensors: Sequence[Sensor], owners: dict[tuple[str, str], str] | None = None
) -> tuple[AlarmSettings, ...]:
    """Settings of every channel, in channel order; owners by (asset id, sensor domain)."""
    owners = owners or {}
    return tuple(settings_for(s, owners.get((s.asset, s.domain), "")) for s in sensors)


def city_settings(city: City) -> tuple[AlarmSettings, ...]:
    """Settings of every channel of a city, owners taken from its assets."""
    return resolve_settings(city.sensors, asset_owners(city))
