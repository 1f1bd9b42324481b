"""Themes: a QSS file plus a palette for what QSS cannot reach (plots, the 3D scene, cells).

A theme is resources/styles/<name>.qss and resources/styles/<name>.json. The JSON is a flat
object of named colours ("level.1": "#d7191c"), every key of PALETTE_KEYS and no other, each
'#rrggbb' or '#rrggbbaa' (alpha last), plus an optional "_comment" saying why the palette is
as it is. Qt is imported only where a function needs it, so the 3D scene builder and the
palette tests read palettes without a QApplication.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtGui import QColor

THEMES = ("dark", "light", "high-contrast")
DEFAULT_THEME = "dark"
THEME_PROPERTY = "lifelineTheme"  # the application property apply_theme records the name in

LEVELS = (1, 2, 3, 4)
CURVES = 7
RAMP_STOPS = 7
DOMAINS = ("gas", "water", "drainage", "heating")
COMPARTMENTS = ("gas", "power", "water_telecom", "heating", "sewage", "combined")

PALETTE_KEYS: tuple[str, ...] = (
    # warning levels I..IV and the text drawn on them; sensor states besides the levels
    *(f"level.{n}" for n in LEVELS),
    *(f"level_text.{n}" for n in LEVELS),
    "state.normal",
    "state.bad_quality",
    "state.offline",
    # time plots (pyqtgraph)
    "plot.background",
    "plot.foreground",
    "plot.grid",
    "plot.legend_text",
    "plot.cursor",
    "plot.bad_marker",
    *(f"plot.limit_label.{n}" for n in LEVELS),  # threshold text: the level hue, made to read
    *(f"plot.curve.{n}" for n in range(1, CURVES + 1)),
    # alarm table cells (painted by widgets/alarm_cells.py from the model's colours)
    "table.base",
    "table.highlight",
    "table.outline",
    "table.text",
    "table.flash_off",
    "table.flash_off_text",
    "table.first_out",
    "table.first_out_text",
    "table.unacked_text",
    "table.acked_text",
    "table.set_aside_text",
    # replay timeline defaults (QSS qproperty-*Color overrides them once polished)
    "timeline.playhead",
    "timeline.density",
    "timeline.track",
    "timeline.played",
    "timeline.axis",
    "timeline.outline",
    # 3D scene (VTK)
    "scene.background",
    "scene.background_top",
    "scene.background_bottom",
    "scene.ground",
    "scene.grid",
    "scene.area",
    "scene.fire_zone",
    "scene.label",
    "scene.area_label",
    "scene.label_background",
    "scene.legend_panel",
    "scene.legend_header",
    "scene.legend_tag",
    "scene.sensor_tag",
    "scene.selection",
    "scene.node",
    "scene.bridge",
    "scene.compass_north",
    "scene.compass_south",
    "scene.compass_ring",
    "scene.compass_text",
    "scene.hover_id",
    "scene.no_value",
    "scene.other_network",
    *(f"domain.{d}" for d in DOMAINS),
    *(f"compartment.{c}" for c in COMPARTMENTS),
    *(f"ramp.{n}" for n in range(1, RAMP_STOPS + 1)),
)
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?")


class ThemeError(ValueError):
    """A theme that cannot be used; the message names the file, key and value."""


@dataclass(frozen=True)
class Theme:
    """One theme: the style sheet for widgets and named colours for what paints itself."""

    name: str
    qss: str
    colours: Mapping[str, str]

    def colour(self, key: str) -> str:
        """The named colour as '#rrggbb' (or '#rrggbbaa')."""
        return self.colours[key]

    def level(self, level: int) -> str:
        """Warning level I..IV's colour."""
        return self.colours[f"level.{int(level)}"]

    def level_text(self, level: int) -> str:
        """The text colour that reads on warning level I..IV's colour."""
        return self.colours[f"level_text.{int(level)}"]

    def rgba(self, key: str) -> tuple[int, int, int, int]:
        """The named colour as 0..255 (r, g, b, a): what pyqtgraph and VTK take."""
        text = self.colours[key][1:]
        alpha = int(text[6:8], 16) if len(text) == 8 else 255
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16), alpha)

    def qcolor(self, key: str) -> QColor:
        """The named colour as a QColor (QColor reads '#aarrggbb', so alpha is set apart)."""
        from PySide6.QtGui import QColor

        return QColor(*self.rgba(key))


def styles_dir() -> Path:
    """Where the shipped themes live (resources/styles)."""
    return Path(str(files("resources") / "styles"))


def load_palette(path: Path) -> dict[str, str]:
    """Read and check a palette file: every key known and present, every value a colour."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ThemeError(f"{path}: cannot read palette: {exc}") from exc
    if not isinstance(data, dict):
        raise ThemeError(f"{path}: a palette is a JSON object of named colours")
    data.pop("_comment", None)
    known = set(PALETTE_KEYS)
    for key, value in data.items():
        if key not in known:
            raise ThemeError(f"{path}: unknown colour key {key!r} (value {value!r})")
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise ThemeError(f"{path}: key {key!r} has bad colour value {value!r} (want '#rrggbb')")
    missing = [k for k in PALETTE_KEYS if k not in data]
    if missing:
        raise ThemeError(f"{path}: missing colour key {missing[0]!r} ({len(missing)} missing)")
    return {k: data[k].lower() for k in PALETTE_KEYS}


@functools.cache
def load_theme(name: str, directory: Path | None = None) -> Theme:
    """The named theme from resources/styles (or another directory), checked and cached."""
    base = directory if directory is not None else styles_dir()
    if directory is None and name not in THEMES:
        raise ThemeError(f"{base}: unknown theme {name!r} (one of {', '.join(THEMES)})")
    qss_path = base / f"{name}.qss"
    try:
        qss = qss_path.read_text("utf-8")
    except OSError as exc:
        raise ThemeError(f"{qss_path}: cannot read style sheet: {exc}") from exc
    colours = load_palette(base / f"{name}.json")
    return Theme(name, qss, MappingProxyType(colours))


def apply_theme(app: Any, name: str) -> Theme:
    """Style the whole application with the named theme and record it for widgets that paint."""
    theme = load_theme(name)
    app.setProperty(THEME_PROPERTY, theme.name)
    app.setStyleSheet(theme.qss)
    return theme


def active_theme_name() -> str:
    """The theme the running application was styled with; dark without an application."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    name = app.property(THEME_PROPERTY) if app is not None else None
    return name if isinstance(name, str) and name in THEMES else DEFAULT_THEME


def active_theme() -> Theme:
    """The running application's theme, for widgets that paint their own colours."""
    return load_theme(active_theme_name())
