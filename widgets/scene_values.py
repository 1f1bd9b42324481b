"""Pipelines coloured by a live value: which quantities can colour a network, and the colours.

Pure numpy (no VTK, no Qt): the console feeds the model's latest values in, the scene writes
the returned colours into its pipeline lookup table in one array update.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from backend_client.city import City

from .scene_style import DARK, SceneColours, current, hex_rgb

# A viridis-like ramp per theme (palette "ramp.1".."ramp.7"), started above its darkest purple
# on dark backgrounds so low values stay visible (a burst main shows as a pressure drop).
VALUE_RAMP_HEX = DARK.value_ramp_hex
RAMP_SIZE = 256
NO_VALUE_HEX = DARK.no_value  # pipe of the shown network without a good reading
OTHER_NETWORK_HEX = DARK.other_network  # pipes of the other networks recede

DOMAIN_MODE = "domain"


@dataclass(frozen=True, slots=True)
class ValueMode:
    """One quantity that can colour a network: its sensors' type on that domain's pipes."""

    key: str  # e.g. "water/PRESS"
    domain: str
    type: str
    unit: str
    label: str  # e.g. "Water pressure"
    vmin: float
    vmax: float

    @property
    def title(self) -> str:
        """Colour bar title, unit included."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


QUANTITY_NAMES = {
    "PRESS": "pressure",
    "FLOW": "flow",
    "TEMP": "temperature",
    "LEVEL": "level",
    "CH4": "methane",
}


@functools.cache
def value_ramp(stops_hex: tuple[str, ...] = VALUE_RAMP_HEX) -> np.ndarray:
    """The value colour ramp as (RAMP_SIZE, 3) uint8, interpolated between its stops."""
    stops = np.array([hex_rgb(h) for h in stops_hex], dtype=np.float64)
    at = np.linspace(0.0, 1.0, len(stops))
    t = np.linspace(0.0, 1.0, RAMP_SIZE)
    out = np.stack([np.interp(t, at, stops[:, c]) for c in range(3)], axis=1)
    ramp = np.round(out).astype(np.uint8)
    ramp.setflags(write=False)  # cached and shared between callers
    return ramp


RAMP = value_ramp()


def value_colours(
    values: np.ndarray,
    vmin: float,
    vmax: float,
    shown: np.ndarray | None = None,
    colours: SceneColours | None = None,
) -> np.ndarray:
    """Per-pipeline RGBA: finite values on the ramp, NaN as 'no value', unshown pipes receding.

    `shown` marks the pipes of the network being coloured (default: all); `colours` is the
    theme's (default: the running application's).
    """
    colours = colours if colours is not None else current()
    ramp = value_ramp(colours.value_ramp_hex)
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    span = vmax - vmin if vmax > vmin else 1.0
    t = np.clip((values - vmin) / span, 0.0, 1.0)
    finite = np.isfinite(values)
    idx = np.where(finite, np.round(np.nan_to_num(t) * (RAMP_SIZE - 1)), 0).astype(np.int64)
    out = np.empty((n, 4), dtype=np.uint8)
    out[:, :3] = ramp[idx]
    out[~finite, :3] = hex_rgb(colours.no_value)
    out[:, 3] = 255
    if shown is not None:
        out[~np.asarray(shown, dtype=bool), :3] = hex_rgb(colours.other_network)
    return out


def _limits_range(lows: list[float], highs: list[float]) -> tuple[float, float]:
    """Outermost alarm thresholds: the scale stays put while values move inside it."""
    lo = min(lows) if lows else (min(highs) * 0.5 if highs else 0.0)
    hi = max(highs) if highs else (max(lows) * 2.0 if lows else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    return float(lo), float(hi)


class PipelineValues:
    """Which sensors give each pipeline its value, per (domain, type); built once per city."""

    def __init__(self, city: City) -> None:
        self.n_pipes = len(city.pipelines)
        pipe_index = {p.id: i for i, p in enumerate(city.pipelines)}
        node_pipe = {n.id: pipe_index[n.pipeline] for n in city.nodes if n.pipeline in pipe_index}
        self.domains = np.array([p.domain for p in city.pipelines], dtype=object)
        groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
        units: dict[tuple[str, str], str] = {}
        lows: dict[tuple[str, str], list[float]] = {}
        highs: dict[tuple[str, str], list[float]] = {}
        for s_i, s in enumerate(city.sensors):
            p_i = pipe_index.get(s.asset, node_pipe.get(s.asset))
            if p_i is None or city.pipelines[p_i].domain != s.domain:
                continue
            key = (s.domain, s.type)
            groups.setdefault(key, []).append((s_i, p_i))
            units.setdefault(key, s.unit)
            lows.setdefault(key, []).extend(v for v in s.limits.low if v is not None)
            highs.setdefault(key, []).extend(v for v in s.limits.high if v is not None)
        self.modes: list[ValueMode] = []
        self._links: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for (domain, stype), links in sorted(groups.items()):
            lo, hi = _limits_range(lows[(domain, stype)], highs[(domain, stype)])
            name = QUANTITY_NAMES.get(stype, stype.lower())
            mode = ValueMode(
                f"{domain}/{stype}",
                domain,
                stype,
                units[(domain, stype)],
                f"{domain.capitalize()} {name}",
                lo,
                hi,
            )
            self.modes.append(mode)
            arr = np.array(links, dtype=np.int64)
            self._links[mode.key] = (arr[:, 0], arr[:, 1])

    def mode(self, key: str) -> ValueMode:
        """The mode with this key (KeyError names the key)."""
        for m in self.modes:
            if m.key == key:
                return m
        raise KeyError(f"no pipeline value mode {key!r}")

    def per_pipeline(
        self, key: str, values: np.ndarray, good: np.ndarray | None = None
    ) -> np.ndarray:
        """Mean of each pipeline's good, finite readings (NaN where it has none), vectorised."""
        sensors, pipes = self._links[key]
        v = np.asarray(values, dtype=np.float64)[sensors]
        ok = np.isfinite(v)
        if good is not None:
            ok &= np.asarray(good, dtype=bool)[sensors]
        total = np.bincount(pipes[ok], weights=v[ok], minlength=self.n_pipes)
        count = np.bincount(pipes[ok], minlength=self.n_pipes)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def colours(self, key: str, values: np.ndarray, good: np.ndarray | None = None) -> np.ndarray:
        """Per-pipeline RGBA for a mode, from every sensor's latest value (channel order)."""
        mode = self.mode(key)
        per_pipe = self.per_pipeline(key, values, good)
        return value_colours(per_pipe, mode.vmin, mode.vmax, self.domains == mode.domain)
