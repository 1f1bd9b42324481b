"""Colours, sizes and state codes of the 3D city scene, kept apart so views and tests share them.

No VTK and no Qt import: colours come from the theme's palette (resources/styles/<theme>.json).
The layers call current() while they build, which asks the running application for its theme
(dark when there is none); the module-level names are the dark theme's, the default.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .theme import (
    COMPARTMENTS,
    DEFAULT_THEME,
    DOMAINS,
    LEVELS,
    RAMP_STOPS,
    Theme,
    active_theme_name,
    load_theme,
)

# Sensor display codes written by the console into CityScene.set_sensor_states.
NORMAL = 0
LEVEL_I = 1
LEVEL_II = 2
LEVEL_III = 3
LEVEL_IV = 4
BAD_QUALITY = 5
OFFLINE = 6
N_CODES = 7

ROMAN = ("", "I", "II", "III", "IV", "", "")
# What a state looks like besides its colour: the tag beside the glyph, and its meaning.
STATE_TAG = ("", "I", "II", "III", "IV", "?", "")
STATE_TEXT = (
    "Normal",
    "Level I, most severe",
    "Level II",
    "Level III",
    "Level IV",
    "Bad quality",
    "Offline / no data",
)


def hex_rgb(text: str) -> tuple[int, int, int]:
    """'#rrggbb' to an (r, g, b) tuple: the palette is written the way designers read it."""
    text = text.lstrip("#")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def unit_rgb(text: str) -> tuple[float, float, float]:
    """'#rrggbb' to VTK's 0..1 floats."""
    r, g, b = hex_rgb(text)
    return (r / 255.0, g / 255.0, b / 255.0)


@dataclass(frozen=True)
class SceneColours:
    """Every colour the 3D scene draws with, for one theme: the VTK layers read them at build."""

    sensor_hex: tuple[str, ...]  # by state code: normal, levels I..IV, bad quality, offline
    sensor_rgba: np.ndarray  # the same as (N_CODES, 4) uint8 rows, for one np.take per update
    domain_hex: Mapping[str, str]  # pipelines by network: muted so alarms stay the loudest
    compartment_hex: Mapping[str, str]  # tunnel compartments by kind
    value_ramp_hex: tuple[str, ...]  # stops of the pipeline value ramp, low to high
    node: str
    bridge: str
    ground: str
    grid: str
    area: str
    fire_zone: str
    label: str
    area_label: str
    label_background: str
    legend_panel: str
    legend_header: str
    legend_tag: str
    sensor_tag: str
    selection: str
    background_top: str
    background_bottom: str
    compass_north: str
    compass_south: str
    compass_ring: str
    compass_text: str
    hover_id: str
    no_value: str
    other_network: str


def _scene_colours(theme: Theme) -> SceneColours:
    """Pick the scene's colours out of a theme's palette."""
    c = theme.colours
    states = ("state.normal", *(f"level.{n}" for n in LEVELS), "state.bad_quality")
    sensor_hex = tuple(c[k] for k in (*states, "state.offline"))
    scene = {k.split(".", 1)[1]: v for k, v in c.items() if k.startswith("scene.")}
    scene.pop("background")  # the Qt canvas's fill before the first frame, not VTK's
    return SceneColours(
        sensor_hex=sensor_hex,
        sensor_rgba=np.array([(*hex_rgb(h), 255) for h in sensor_hex], dtype=np.uint8),
        domain_hex=MappingProxyType({d: c[f"domain.{d}"] for d in DOMAINS}),
        compartment_hex=MappingProxyType({k: c[f"compartment.{k}"] for k in COMPARTMENTS}),
        value_ramp_hex=tuple(c[f"ramp.{n}"] for n in range(1, RAMP_STOPS + 1)),
        **scene,
    )


@functools.cache
def scene_colours(theme_name: str = DEFAULT_THEME) -> SceneColours:
    """The named theme's scene colours (cached: palettes do not change while running)."""
    return _scene_colours(load_theme(theme_name))


def current() -> SceneColours:
    """The scene colours of the theme the application runs with (dark without one)."""
    return scene_colours(active_theme_name())


# The dark (default) theme's colours under their old names, for code and tests that import them.
DARK = scene_colours(DEFAULT_THEME)
SENSOR_HEX = DARK.sensor_hex
SENSOR_RGBA = DARK.sensor_rgba

# Glyph scale per code: alarms are drawn bigger so they stand out in the overview.
SENSOR_SCALE = np.array([1.0, 2.1, 1.9, 1.75, 1.6, 1.15, 0.85], dtype=np.float32)

# Blinking sensors fade towards the background in the "off" phase rather than vanish.
BLINK_DIM = 0.35

DOMAIN_HEX = DARK.domain_hex
COMPARTMENT_HEX = DARK.compartment_hex
NODE_HEX_DEFAULT = DARK.node
BRIDGE_HEX = DARK.bridge
GROUND_HEX = DARK.ground
GRID_HEX = DARK.grid
AREA_HEX = DARK.area
FIRE_ZONE_HEX = DARK.fire_zone
LABEL_HEX = DARK.label
AREA_LABEL_HEX = DARK.area_label
LEGEND_PANEL_HEX = DARK.legend_panel
LEGEND_HEADER_HEX = DARK.legend_header
SELECTION_HEX = DARK.selection
BACKGROUND_TOP_HEX = DARK.background_top
BACKGROUND_BOTTOM_HEX = DARK.background_bottom

COMPARTMENT_OPACITY = 1.0  # solid: opaque shells need no depth peeling
GROUND_OPACITY = 0.30
XRAY_COMPARTMENT_OPACITY = 0.45  # x-ray: cut-away trays, see-through
XRAY_GROUND_OPACITY = 0.12


def font_for_height(height: int) -> int:
    """Overlay type size for a window height: 16 px at 1000 px, up to 30 px on a 4K wall."""
    return int(np.clip(round(height / 62.0), 13, 30))


def type_scale(height: int) -> float:
    """How much bigger than at 1000 px the scene's text is drawn for this window height."""
    return font_for_height(height) / 16.0


def lighter(rgb: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """Blend towards white: edges of translucent volumes need to read brighter than the faces."""
    return tuple(round(c + (255 - c) * amount) for c in rgb)  # type: ignore[return-value]


def dimmed_rgba(
    rgba: np.ndarray, amount: float = BLINK_DIM, background: str = BACKGROUND_BOTTOM_HEX
) -> np.ndarray:
    """RGBA rows pulled towards the background colour for the blink 'off' phase."""
    bg = np.array([*hex_rgb(background), 255], dtype=np.float32)
    out = rgba.astype(np.float32) * amount + bg * (1.0 - amount)
    out[..., 3] = rgba[..., 3]
    return out.astype(np.uint8)
