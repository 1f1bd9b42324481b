"""Colours, sizes and state codes of the 3D city scene, kept apart so views and tests share them.

Pure data: no VTK, no Qt. Colours are (r, g, b) uint8 tuples.
"""

from __future__ import annotations

import numpy as np

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


# The warning palette is fixed by the national I..IV scheme; the rest avoids clashing with it.
SENSOR_HEX = (
    "#4daf7c",  # normal: calm green
    "#d7191c",  # level I red
    "#f28e2b",  # level II orange
    "#f2d024",  # level III yellow
    "#2c7bb6",  # level IV blue
    "#c04fe8",  # bad quality: violet
    "#5d646d",  # offline / no data: dark grey
)
SENSOR_RGBA = np.array([(*hex_rgb(h), 255) for h in SENSOR_HEX], dtype=np.uint8)

# Glyph scale per code: alarms are drawn bigger so they stand out in the overview.
SENSOR_SCALE = np.array([1.0, 2.1, 1.9, 1.75, 1.6, 1.15, 0.85], dtype=np.float32)

# Blinking sensors fade towards the background in the "off" phase rather than vanish.
BLINK_DIM = 0.35

# Pipelines: muted so saturated alarm colours on the sensors stay the loudest thing on screen.
DOMAIN_HEX = {
    "gas": "#cdb86a",  # sand/ochre, well short of alarm yellow
    "water": "#3fb0c4",  # teal, not alarm blue
    "drainage": "#8d7150",  # brown
    "heating": "#b8618f",  # raspberry, not alarm red
}

COMPARTMENT_HEX = {
    "gas": "#e2c667",
    "power": "#8593ff",
    "water_telecom": "#52c7dc",
    "heating": "#de7fb0",
    "sewage": "#a89463",
    "combined": "#a4afbb",
}

NODE_HEX_DEFAULT = "#9aa6b2"
BRIDGE_HEX = "#b9c2cc"
GROUND_HEX = "#1a2633"
GRID_HEX = "#3a4e63"
AREA_HEX = "#56708a"
FIRE_ZONE_HEX = "#e8eef5"
LABEL_HEX = "#d6e2ee"
AREA_LABEL_HEX = "#9db4cb"
LEGEND_PANEL_HEX = "#0b1118"
LEGEND_HEADER_HEX = "#8fa6bd"
SELECTION_HEX = "#ffffff"
BACKGROUND_TOP_HEX = "#141d28"
BACKGROUND_BOTTOM_HEX = "#070b10"

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


def dimmed_rgba(rgba: np.ndarray, amount: float = BLINK_DIM) -> np.ndarray:
    """RGBA rows pulled towards the background colour for the blink 'off' phase."""
    bg = np.array([*hex_rgb(BACKGROUND_BOTTOM_HEX), 255], dtype=np.float32)
    out = rgba.astype(np.float32) * amount + bg * (1.0 - amount)
    out[..., 3] = rgba[..., 3]
    return out.astype(np.uint8)
