"""Desk layout presets and per-user saved layouts: the files, read and checked without Qt.

A preset is JSON (resources/layouts/desk-<name>.json):

    {"format": "lifeline-desk-preset/1", "name": "operator", "description": "...",
     "corners": {"bottom-left": "bottom", "bottom-right": "right"},
     "areas": {
       "bottom": {"size": 0.40, "groups": [{"docks": ["dock-alarm-queue"]}]},
       "right": {"size": 0.30, "groups": [
         {"docks": ["dock-live-plots"], "size": 0.45},
         {"docks": ["dock-alarm-details", "dock-alarm-kpis"], "front": "dock-alarm-details"}]}}}

- areas: left, right, top, bottom; an area's size is its share of the window's width (left,
  right) or height (top, bottom). Left + right and top + bottom leave the 3D view at least 20%.
- groups: placed one after another along the area (top to bottom in left/right, left to right
  in top/bottom); the docks of one group are tabbed together and front is the tab in front
  (default: the first present). A group's size is its share of the window's height (left,
  right) or width (top, bottom); groups without one share what is left.
- A known dock that no group names is hidden; a dock the window lacks (the incident library
  outside replay) is skipped. corners: which area owns each corner (Qt's default: top/bottom).

A saved layout is JSON (<settings_dir>/layouts/<user>.json) holding QMainWindow.saveState() and
saveGeometry() in base64, per window mode (live, replay), with the preset it came from.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from console.json_checks import FieldChecker, read_json

PRESET_FORMAT = "lifeline-desk-preset/1"
SAVED_FORMAT = "lifeline-desk-saved/1"
AREAS = ("left", "right", "top", "bottom")
CORNERS: dict[str, tuple[str, str]] = {  # a corner belongs to one of the two areas beside it
    "top-left": ("top", "left"),
    "top-right": ("top", "right"),
    "bottom-left": ("bottom", "left"),
    "bottom-right": ("bottom", "right"),
}
LIVE_DOCKS = (
    "dock-channels",
    "dock-live-plots",
    "dock-alarm-queue",
    "dock-alarm-details",
    "dock-alarm-kpis",
    "dock-summary",
)
REPLAY_DOCKS = ("dock-incidents", "dock-training-score")
KNOWN_DOCKS = LIVE_DOCKS + REPLAY_DOCKS
PRESETS = ("operator", "supervisor", "trainer")
MODES = ("live", "replay")
MIN_CENTRAL_SHARE = 0.2  # the 3D view keeps at least this share of each direction
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


class DeskLayoutError(ValueError):
    """A preset or saved layout file that cannot be used; the message names file, field, value."""


@dataclass(frozen=True, slots=True)
class DockGroup:
    """Docks tabbed together at one place in an area, and the tab in front."""

    docks: tuple[str, ...]
    front: str
    size: float | None = None  # share of the window along the area; None: an equal share


@dataclass(frozen=True, slots=True)
class DockArea:
    """One side of the window: its share of the window and its groups in order."""

    area: str
    size: float
    groups: tuple[DockGroup, ...]


@dataclass(frozen=True, slots=True)
class DeskPreset:
    """A whole desk arrangement; apply it with console.desk_layout.apply_preset."""

    name: str
    areas: tuple[DockArea, ...]
    corners: tuple[tuple[str, str], ...]  # (corner, area) for all four corners
    description: str = ""
    source: str = ""

    def placed(self) -> tuple[str, ...]:
        """Every dock the preset shows, in the order it places them."""
        return tuple(d for a in self.areas for g in a.groups for d in g.docks)


@dataclass(frozen=True, slots=True)
class SavedLayout:
    """One window mode's saved arrangement: Qt's own state bytes and the preset it came from."""

    preset: str
    state: bytes
    geometry: bytes
    saved_at: str = ""


@dataclass(slots=True)
class UserLayouts:
    """Everything saved for one user: a layout per window mode and whether to save on exit."""

    user: str
    save_on_exit: bool = True
    layouts: dict[str, SavedLayout] = field(default_factory=dict)


# --- presets ----------------------------------------------------------------------------------


def preset_path(name: str) -> Path:
    """The bundled preset file for a preset name."""
    return Path(str(files("resources") / "layouts" / f"desk-{name}.json"))


def preset_for_role(role: str) -> str:
    """The preset a role starts with; roles without their own start as operators."""
    return role if role in PRESETS else "operator"


def load_preset(path: str | Path) -> DeskPreset:
    """Read and check a preset file."""
    path = Path(path)
    return preset_from_dict(read_json(path, "preset", DeskLayoutError), str(path))


def preset_from_dict(doc: Any, source: str) -> DeskPreset:
    """Check a parsed preset document; source names it in errors."""
    where = FieldChecker(source, DeskLayoutError)
    obj = where.object(doc, "", {"format", "name", "description", "corners", "areas"})
    if obj.get("format") != PRESET_FORMAT:
        where.fail("format", obj.get("format"), f"must be {PRESET_FORMAT!r}")
    name = obj.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        where.fail("name", name, "must be a lower-case name (letters, digits, -)")
    description = obj.get("description", "")
    if not isinstance(description, str):
        where.fail("description", description, "must be a string")
    corners = _corners(where, obj.get("corners", {}))
    areas_doc = obj.get("areas")
    if not isinstance(areas_doc, dict):
        where.fail("areas", areas_doc, "must be an object of areas (left, right, top, bottom)")
    for area in areas_doc:
        if area not in AREAS:
            where.fail(f"areas.{area}", area, f"unknown area; must be one of {', '.join(AREAS)}")
    if not areas_doc:
        where.fail("areas", areas_doc, "must place at least one dock")
    areas = tuple(
        _area(where, area, areas_doc[area]) for area in AREAS if area in areas_doc
    )  # fixed order: left, right, top, bottom
    sizes = {a.area: a.size for a in areas}
    for first, second in (("left", "right"), ("top", "bottom")):
        total = sizes.get(first, 0.0) + sizes.get(second, 0.0)
        if total > 1 - MIN_CENTRAL_SHARE + 1e-9:
            where.fail(
                f"areas.{first}.size + areas.{second}.size",
                round(total, 4),
                f"must leave the 3D view at least {MIN_CENTRAL_SHARE:.0%}",
            )
    seen: dict[str, str] = {}
    for a in areas:
        for i, group in enumerate(a.groups):
            for dock in group.docks:
                here = f"areas.{a.area}.groups[{i}].docks"
                if dock in seen:
                    where.fail(here, dock, f"is already placed at {seen[dock]}")
                seen[dock] = here
    return DeskPreset(name, areas, corners, description, source)


def _corners(where: FieldChecker, doc: Any) -> tuple[tuple[str, str], ...]:
    obj = where.object(doc, "corners", set(CORNERS))
    out = []
    for corner, (vertical, horizontal) in CORNERS.items():
        area = obj.get(corner, vertical)
        if area not in (vertical, horizontal):
            where.fail(f"corners.{corner}", area, f"must be {vertical!r} or {horizontal!r}")
        out.append((corner, area))
    return tuple(out)


def _area(where: FieldChecker, area: str, doc: Any) -> DockArea:
    path = f"areas.{area}"
    obj = where.object(doc, path, {"size", "groups"})
    size = _fraction(where, f"{path}.size", obj.get("size"), required=True)
    groups_doc = obj.get("groups")
    if not isinstance(groups_doc, list) or not groups_doc:
        where.fail(f"{path}.groups", groups_doc, "must be a non-empty list of dock groups")
    groups = tuple(_group(where, f"{path}.groups[{i}]", g) for i, g in enumerate(groups_doc))
    total = sum(g.size or 0.0 for g in groups)
    if total > 1 + 1e-9:
        where.fail(f"{path}.groups[].size", round(total, 4), "must add up to 1 or less")
    assert size is not None
    return DockArea(area, size, groups)


def _group(where: FieldChecker, path: str, doc: Any) -> DockGroup:
    obj = where.object(doc, path, {"docks", "front", "size"})
    docks = obj.get("docks")
    if not isinstance(docks, list) or not docks:
        where.fail(f"{path}.docks", docks, "must be a non-empty list of dock names")
    for i, dock in enumerate(docks):
        if dock not in KNOWN_DOCKS:
            where.fail(f"{path}.docks[{i}]", dock, f"unknown dock; known: {', '.join(KNOWN_DOCKS)}")
        if dock in docks[:i]:
            where.fail(f"{path}.docks[{i}]", dock, "is named twice")
    front = obj.get("front", docks[0])
    if front not in docks:
        where.fail(f"{path}.front", front, "must be one of the group's docks")
    size = _fraction(where, f"{path}.size", obj.get("size"), required=False)
    return DockGroup(tuple(docks), front, size)


def _fraction(where: FieldChecker, path: str, value: Any, required: bool) -> float | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        where.fail(path, value, "must be a fraction of the window, more than 0 and less than 1")
    return float(value)


# --- saved layouts ----------------------------------------------------------------------------


def desk_settings_dir(configured: str, environ: Mapping[str, str]) -> Path:
    """Where per-user settings live: the configured folder, else the XDG config folder."""
    if configured:
        return Path(configured).expanduser()
    xdg = environ.get("XDG_CONFIG_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / "lifeline-console"


def safe_user_filename(user: str) -> str:
    """A file name for a user that stays in its folder and tells users apart ("../x", "李明")."""
    safe = _SAFE.sub("_", user).lstrip(".")[:48] or "_"
    if safe == user:
        return safe
    digest = hashlib.sha256(user.encode("utf-8")).hexdigest()[:10]
    return f"{safe}-{digest}"


def user_layout_path(settings_dir: Path, user: str) -> Path:
    """<settings_dir>/layouts/<safe user name>.json."""
    return settings_dir / "layouts" / f"{safe_user_filename(user)}.json"


def read_user_layouts(path: Path) -> UserLayouts | None:
    """The saved layouts in path; None when there is no file. Raises DeskLayoutError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise DeskLayoutError(f"{path}: cannot read the saved layout: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeskLayoutError(f"{path}: not JSON: {exc}") from None
    return user_layouts_from_dict(doc, str(path))


def user_layouts_from_dict(doc: Any, source: str) -> UserLayouts:
    """Check a parsed saved-layout document; source names it in errors."""
    where = FieldChecker(source, DeskLayoutError)
    obj = where.object(doc, "", {"format", "user", "save_on_exit", "layouts"})
    if obj.get("format") != SAVED_FORMAT:
        where.fail("format", obj.get("format"), f"must be {SAVED_FORMAT!r}")
    user = obj.get("user")
    if not isinstance(user, str):
        where.fail("user", user, "must be a string")
    save_on_exit = obj.get("save_on_exit", True)
    if not isinstance(save_on_exit, bool):
        where.fail("save_on_exit", save_on_exit, "must be true or false")
    layouts_doc = where.object(obj.get("layouts", {}), "layouts", set(MODES))
    layouts = {mode: _saved(where, f"layouts.{mode}", d) for mode, d in layouts_doc.items()}
    return UserLayouts(user, save_on_exit, layouts)


def _saved(where: FieldChecker, path: str, doc: Any) -> SavedLayout:
    obj = where.object(doc, path, {"preset", "state", "geometry", "saved_at"})
    preset = obj.get("preset")
    if preset not in PRESETS:
        where.fail(f"{path}.preset", preset, f"must be one of {', '.join(PRESETS)}")
    blobs = []
    for key in ("state", "geometry"):
        text = obj.get(key)
        try:
            if not isinstance(text, str) or not text:
                raise ValueError
            blobs.append(base64.b64decode(text, validate=True))
        except (ValueError, binascii.Error):
            where.fail(f"{path}.{key}", text, "must be base64 from Qt")
    saved_at = obj.get("saved_at", "")
    if not isinstance(saved_at, str):
        where.fail(f"{path}.saved_at", saved_at, "must be a string")
    return SavedLayout(preset, blobs[0], blobs[1], saved_at)


def user_layouts_to_dict(saved: UserLayouts) -> dict[str, Any]:
    """The JSON document for saved layouts."""
    return {
        "format": SAVED_FORMAT,
        "user": saved.user,
        "save_on_exit": saved.save_on_exit,
        "layouts": {
            mode: {
                "preset": layout.preset,
                "saved_at": layout.saved_at,
                "state": base64.b64encode(layout.state).decode("ascii"),
                "geometry": base64.b64encode(layout.geometry).decode("ascii"),
            }
            for mode, layout in sorted(saved.layouts.items())
        },
    }


def write_user_layouts(path: Path, saved: UserLayouts) -> None:
    """Write atomically (a temporary file renamed over the old one): a crash keeps the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(user_layouts_to_dict(saved), ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
