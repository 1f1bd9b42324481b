"""Wall layouts: which view each screen of a video wall shows, read and checked from a file.

A layout is JSON (resources/layouts/wall-*.json, documented in docs/wall.md):

    {"format": "lifeline-wall-layout/1", "name": "...",
     "hold_levels": [1, 2],
     "screens": [{"screen": 0 | "HDMI-1", "cycle_s": 20,
                  "pages": [{"view": "alarm_queue"}, {"view": "tiles", "group_by": "area"}]}]}

Pure Python: the wall window reads a WallLayout; errors name the file, the field and the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.json_checks import FieldChecker, read_json

FORMAT = "lifeline-wall-layout/1"
VIEWS = ("alarm_queue", "scene", "plots", "kpis", "tiles")
# options each view accepts, with the values allowed (None: any value of the type shown)
VIEW_OPTIONS: dict[str, dict[str, tuple[Any, ...] | type]] = {
    "alarm_queue": {"text": ("auto", "normal", "large", "xlarge", "wall")},
    "scene": {"legend": bool},
    "plots": {"grid": ("1", "2x2", "3x3", "4x4")},
    "kpis": {},
    "tiles": {"group_by": ("domain", "area")},
}
MIN_CYCLE_S = 5.0  # a page that changes faster cannot be read from across the room
LEVELS = (1, 2, 3, 4)


class WallLayoutError(ValueError):
    """A layout file that cannot drive a wall; the message names the file, field and value."""


@dataclass(frozen=True, slots=True)
class WallPage:
    """One view shown full screen, with its options."""

    view: str
    options: dict[str, Any] = field(default_factory=dict)
    title: str = ""


@dataclass(frozen=True, slots=True)
class WallScreen:
    """A physical screen (by index or by the name the system gives it) and its pages."""

    screen: int | str
    pages: tuple[WallPage, ...]
    cycle_s: float = 0.0  # 0: the first page stays; else pages change every cycle_s


@dataclass(frozen=True, slots=True)
class WallLayout:
    """A whole wall: its screens, and which alarm levels hold the pages still."""

    name: str
    screens: tuple[WallScreen, ...]
    hold_levels: tuple[int, ...] = (1, 2)
    source: str = ""

    def views(self) -> set[str]:
        """Every view some screen shows."""
        return {page.view for screen in self.screens for page in screen.pages}


def load_wall_layout(path: str | Path) -> WallLayout:
    """Read and check a layout file."""
    path = Path(path)
    return wall_layout_from_dict(read_json(path, "layout", WallLayoutError), str(path))


def wall_layout_from_dict(doc: Any, source: str) -> WallLayout:
    """Check a parsed layout document; source names it in errors."""
    where = FieldChecker(source, WallLayoutError, root="layout")
    obj = where.object(doc, "", {"format", "name", "screens", "hold_levels", "description"})
    if obj.get("format") != FORMAT:
        where.fail("format", obj.get("format"), f"must be {FORMAT!r}")
    name = obj.get("name", Path(source).stem)
    if not isinstance(name, str) or not name.strip():
        where.fail("name", name, "must be a non-empty string")
    holds = obj.get("hold_levels", [1, 2])
    if not isinstance(holds, list) or any(h not in LEVELS or isinstance(h, bool) for h in holds):
        where.fail("hold_levels", holds, "must be a list of alarm levels 1 to 4")
    screens_doc = obj.get("screens")
    if not isinstance(screens_doc, list) or not screens_doc:
        where.fail("screens", screens_doc, "must be a non-empty list")
    screens = tuple(_screen(where, f"screens[{i}]", s) for i, s in enumerate(screens_doc))
    seen: dict[int | str, int] = {}
    for i, screen in enumerate(screens):
        if screen.screen in seen:
            where.fail(
                f"screens[{i}].screen",
                screen.screen,
                f"is already used by screens[{seen[screen.screen]}]",
            )
        seen[screen.screen] = i
    return WallLayout(name.strip(), screens, tuple(sorted(set(holds))), source)


def _screen(where: FieldChecker, path: str, doc: Any) -> WallScreen:
    obj = where.object(doc, path, {"screen", "pages", "cycle_s"})
    screen = obj.get("screen")
    if isinstance(screen, bool) or not isinstance(screen, int | str):
        where.fail(f"{path}.screen", screen, "must be a screen index (0, 1, ...) or a screen name")
    if isinstance(screen, int) and screen < 0:
        where.fail(f"{path}.screen", screen, "must be 0 or more")
    if isinstance(screen, str) and not screen.strip():
        where.fail(f"{path}.screen", screen, "must not be empty")
    cycle = obj.get("cycle_s", 0)
    if isinstance(cycle, bool) or not isinstance(cycle, int | float):
        where.fail(f"{path}.cycle_s", cycle, "must be a number of seconds")
    if cycle and cycle < MIN_CYCLE_S:
        where.fail(f"{path}.cycle_s", cycle, f"must be 0 (no cycling) or at least {MIN_CYCLE_S:g}")
    pages_doc = obj.get("pages")
    if not isinstance(pages_doc, list) or not pages_doc:
        where.fail(f"{path}.pages", pages_doc, "must be a non-empty list of pages")
    pages = tuple(_page(where, f"{path}.pages[{i}]", p) for i, p in enumerate(pages_doc))
    return WallScreen(screen, pages, float(cycle))


def _page(where: FieldChecker, path: str, doc: Any) -> WallPage:
    if not isinstance(doc, dict):
        where.fail(path, doc, "must be an object with a 'view'")
    view = doc.get("view")
    if view not in VIEWS:
        where.fail(f"{path}.view", view, f"must be one of {', '.join(VIEWS)}")
    allowed = VIEW_OPTIONS[view]
    where.object(doc, path, {"view", "title", *allowed})
    title = doc.get("title", "")
    if not isinstance(title, str):
        where.fail(f"{path}.title", title, "must be a string")
    options = {k: v for k, v in doc.items() if k in allowed}
    for key, value in options.items():
        rule = allowed[key]
        ok = isinstance(value, rule) if isinstance(rule, type) else value in rule
        if not ok:
            wanted = rule.__name__ if isinstance(rule, type) else ", ".join(map(str, rule))
            where.fail(f"{path}.{key}", value, f"must be {wanted} for a {view} page")
    return WallPage(view, options, title)


def assign_screens(layout: WallLayout, names: list[str]) -> list[int]:
    """Index of the system screen each layout screen goes to; names lists the system's screens
    in order. A screen the machine lacks is an error that lists what it has."""
    out = []
    for i, wanted in enumerate(layout.screens):
        if isinstance(wanted.screen, int):
            index = wanted.screen if wanted.screen < len(names) else -1
        else:
            index = names.index(wanted.screen) if wanted.screen in names else -1
        if index < 0:
            have = ", ".join(f"{k} {name!r}" for k, name in enumerate(names)) or "none"
            raise WallLayoutError(
                f"{layout.source}: screens[{i}].screen = {wanted.screen!r}: no such screen; "
                f"this machine has {len(names)}: {have}"
            )
        out.append(index)
    return out
