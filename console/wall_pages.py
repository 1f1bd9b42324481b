"""The views a wall page can show, built read-only and wired to the seat's display bridge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QWidget

from backend_client.model.alarm_kpis import parse_shifts
from backend_client.model.console_model import ConsoleModel
from console.config import ConsoleConfig
from console.model_bridge import ModelBridge
from console.wall_layout import WallPage

WALL_SCALE_MIN_HEIGHT_PX = 1800  # logical pixels: a 4K wall screen at 100 % scaling
GRIDS = {"1": (1, 1), "2x2": (2, 2), "3x3": (3, 3), "4x4": (4, 4)}
CURVES_PER_PANEL = 3


@dataclass(slots=True)
class BuiltPage:
    """A page's widget and what the seat needs from it later."""

    page: WallPage
    widget: QWidget
    frames: Callable[[], list[tuple[QWidget, QImage]]] = lambda: []
    on_focus: Callable[[int], None] | None = None  # bring a sensor (channel) into view
    extras: dict[str, Any] = field(default_factory=dict)


def text_scale(option: str, screen_height_px: int) -> str:
    """Alarm text size for a wall screen: the layout's choice, or by the screen's logical height
    (Qt scales logical pixels per screen, so mixed DPI walls get the same size on each)."""
    if option != "auto":
        return option
    return "wall" if screen_height_px >= WALL_SCALE_MIN_HEIGHT_PX else "large"


def make_read_only(widget: QWidget) -> None:
    """A wall screen is looked at, not operated: no controls, no focus, nothing to click."""
    for child in widget.findChildren(QAbstractButton) + widget.findChildren(QComboBox):
        child.hide()
    for edit in widget.findChildren(QLineEdit):
        edit.hide()


def build_page(
    page: WallPage,
    model: ConsoleModel,
    bridge: ModelBridge,
    config: ConsoleConfig,
    history: Any,
    screen_height_px: int,
    parent: QWidget,
) -> BuiltPage:
    """The page's view, read-only, wired to the bridge's display-rate signals."""
    build = {
        "alarm_queue": _alarm_queue,
        "scene": _scene,
        "plots": _plots,
        "kpis": _kpis,
        "tiles": _tiles,
    }[page.view]
    built = build(page, model, bridge, config, history, screen_height_px, parent)
    built.widget.setProperty("wallView", page.view)
    return built


def _alarm_queue(page, model, bridge, config, history, height, parent) -> BuiltPage:
    from views.alarm_queue_view import AlarmQueueView

    queue = AlarmQueueView(model, parent)
    make_read_only(queue)  # the comment, Ack, 3D and silence controls
    queue.filters.hide()
    queue.message.hide()
    queue.set_scale(text_scale(page.options.get("text", "auto"), height))
    bridge.alarmsChanged.connect(queue.refresh)
    bridge.statsUpdated.connect(queue.refresh_values)
    bridge.catalogLoaded.connect(queue.refresh)
    return BuiltPage(page, queue, on_focus=lambda _c: None, extras={"queue": queue})


def _scene(page, model, bridge, config, history, height, parent) -> BuiltPage:
    from views.scene_view import SceneView

    scene = SceneView(model, parent)
    scene.toolbar.hide()
    if not page.options.get("legend", True):
        scene.scene.set_legend_visible(False)
    bridge.cityLoaded.connect(scene.load_city)
    bridge.frameTicked.connect(scene.tick)
    bridge.alarmsChanged.connect(scene.recolour)
    bridge.selectionChanged.connect(scene.select)
    if model.city is not None:
        scene.load_city()
    return BuiltPage(
        page,
        scene,
        frames=lambda: [(scene.gl_widget(), scene.frame())],
        on_focus=scene.fly_to,
        extras={"scene": scene},
    )


def _plots(page, model, bridge, config, history, height, parent) -> BuiltPage:
    from views.plots_view import PlotsView

    plots = PlotsView(
        model, config.plot_window_s, parent, history=history, when_done=bridge.when_done
    )
    make_read_only(plots)
    plots.grid.set_shape(*GRIDS[page.options.get("grid", "2x2")])

    def fill() -> None:
        plots.reset()
        for i, channels in enumerate(panel_channels(model, len(plots.grid.panels))):
            plots.show_channels(i, channels)

    bridge.catalogLoaded.connect(fill)
    bridge.frameTicked.connect(plots.refresh)
    if model.sensors:
        fill()
    return BuiltPage(page, plots, on_focus=plots.show_channel, extras={"plots": plots})


def panel_channels(model: ConsoleModel, panels: int) -> list[list[int]]:
    """Channels for each panel of an unattended plot page: one kind of reading per panel, the
    domains taken in turn, so the wall shows every lifeline at once."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, sensor in enumerate(model.sensors):
        groups.setdefault((sensor.domain, sensor.type, sensor.unit), []).append(i)
    by_domain: dict[str, list[list[int]]] = {}
    for (domain, _type, _unit), channels in groups.items():
        by_domain.setdefault(domain, []).append(channels[:CURVES_PER_PANEL])
    out: list[list[int]] = []
    while len(out) < panels and any(by_domain.values()):
        for kinds in by_domain.values():
            if kinds and len(out) < panels:
                out.append(kinds.pop(0))
    return out


def _kpis(page, model, bridge, config, history, height, parent) -> BuiltPage:
    from views.alarm_kpi_view import AlarmKpiView

    kpis = AlarmKpiView(model, parent, shifts=parse_shifts(config.shifts))
    make_read_only(kpis)
    bridge.alarmsChanged.connect(kpis.observe)
    return BuiltPage(page, kpis, extras={"kpis": kpis})


def _tiles(page, model, bridge, config, history, height, parent) -> BuiltPage:
    from views.summary_tiles import SummaryTileBoard

    board = SummaryTileBoard(
        model, group_by=page.options.get("group_by", "domain"), interactive=False, parent=parent
    )
    make_read_only(board)
    bridge.alarmsChanged.connect(board.refresh)
    bridge.catalogLoaded.connect(board.refresh)
    return BuiltPage(page, board, extras={"tiles": board})
