"""Live plots of the channels the operator picked: one panel or a grid sharing one time axis."""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backend_client.model.console_model import ConsoleModel
from views.plot_feed import History, PlotFeed, WhenDone, clamp_window_start
from views.plot_grid_view import SHAPES, PlotGrid
from widgets.plot_panel import PlotPanel
from widgets.sensor_plot import CurveSpec, SensorPlot

WINDOWS_S = {  # English keys (the items' data); the box shows them translated
    QT_TRANSLATE_NOOP("Plots", "1 min"): 60,
    QT_TRANSLATE_NOOP("Plots", "10 min"): 600,
    QT_TRANSLATE_NOOP("Plots", "1 h"): 3600,
    QT_TRANSLATE_NOOP("Plots", "6 h"): 6 * 3600,
    QT_TRANSLATE_NOOP("Plots", "24 h"): 24 * 3600,
}
DEFAULT_CURVES = 3


class PlotsView(QWidget):
    """The selected channel goes to the focused panel; window, pause and Live act on all panels."""

    def __init__(
        self,
        model: ConsoleModel,
        window_s: float = 600.0,
        parent: QWidget | None = None,
        history: History | None = None,
        when_done: WhenDone | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.window_s = window_s
        self.feed = PlotFeed(model, history, when_done)
        self.grid = PlotGrid(self)
        self.window_box = QComboBox(self)
        for key in WINDOWS_S:
            self.window_box.addItem(QCoreApplication.translate("Plots", key), key)
        self.window_box.setCurrentIndex(
            list(WINDOWS_S).index(
                next((k for k, v in WINDOWS_S.items() if v == window_s), "10 min")
            )
        )
        self.window_box.setToolTip(QCoreApplication.translate("Plots", "Time window"))
        self.window_box.currentIndexChanged.connect(
            lambda i: self._window_changed(self.window_box.itemData(i))
        )
        self.layout_box = QComboBox(self)
        for key in SHAPES:
            self.layout_box.addItem(QCoreApplication.translate("Plots", key), key)
        self.layout_box.setToolTip(
            QCoreApplication.translate(
                "Plots", "Panels; a selected sensor goes to the highlighted panel"
            )
        )
        self.layout_box.currentIndexChanged.connect(
            lambda i: self._layout_changed(self.layout_box.itemData(i))
        )
        self.pause_button = QPushButton(QCoreApplication.translate("Plots", "Pause"), self)
        self.pause_button.setToolTip(
            QCoreApplication.translate(
                "Plots", "Freeze the time axis; drag or wheel to scroll back"
            )
        )
        self.pause_button.clicked.connect(lambda: self.set_following(False))
        self.live_button = QPushButton(QCoreApplication.translate("Plots", "Live"), self)
        self.live_button.setObjectName("liveButton")
        self.live_button.setToolTip(QCoreApplication.translate("Plots", "Follow live time again"))
        self.live_button.clicked.connect(lambda: self.set_following(True))
        clear = QPushButton(QCoreApplication.translate("Plots", "Clear"), self)
        clear.setToolTip(
            QCoreApplication.translate("Plots", "Remove the curves of the highlighted panel")
        )
        clear.clicked.connect(self.clear)
        self.state = QLabel("", self)
        self.state.setObjectName("plotState")
        bar = QHBoxLayout()
        bar.addWidget(self.state, 1)
        bar.addWidget(self.layout_box)
        bar.addWidget(self.window_box)
        bar.addWidget(self.pause_button)
        bar.addWidget(self.live_button)
        bar.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)
        self._shown: tuple[float, float] | None = None
        self._following = True
        self.grid.panelsChanged.connect(self._panels_changed)
        self._panels_changed()
        self._show_following(True)

    # --- the single-panel API the main window uses ------------------------------------------

    @property
    def plot(self) -> SensorPlot:
        return self.grid.focused_panel.plot

    @property
    def title(self) -> QLabel:
        return self.grid.focused_panel.title

    @property
    def channels(self) -> list[int]:
        return list(self.grid.focused_panel.channels)

    @property
    def following(self) -> bool:
        return self._following

    def show_channel(self, channel: int) -> None:
        """Put a channel at the front of the focused panel."""
        if channel < 0 or channel >= len(self.model.sensors):
            return
        panel = self.grid.focused_panel
        panel.put_channel(channel)
        self._rebuild(panel)
        self.refresh()

    def show_channels(self, panel_index: int, channels: list[int]) -> None:
        """Give one panel these curves (a wall page fills its panels without a person)."""
        panel = self.grid.panels[panel_index]
        panel.channels = list(channels)
        self._rebuild(panel)

    def clear(self) -> None:
        panel = self.grid.focused_panel
        panel.channels = []
        self._rebuild(panel)

    def reset(self) -> None:
        """The catalog changed: start on a few comparable channels so the panel is live at once."""
        self.feed.reset()
        sensors = self.model.sensors
        for panel in self.grid.panels:
            panel.channels = []
        if sensors:
            first = sensors[0]
            peers = [
                i for i, s in enumerate(sensors) if s.type == first.type and s.unit == first.unit
            ]
            self.grid.panels[0].channels = peers[:DEFAULT_CURVES][::-1]
        for panel in self.grid.panels:
            self._rebuild(panel)

    # --- drawing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Once per display frame: feed panels whose data changed, move the window if visible.

        The live window moves in whole pixel columns, so a frame in which no column completed
        redraws only curves whose newest column changed.
        """
        now = self.model.clock()
        counts = self.model.buffers.counts()
        changed = [p for p in self.grid.panels if self.feed.feed(p, self.window_s, now, counts)]
        lead = self.grid.panels[0].plot
        if self.following:
            step = lead.column_step(self.window_s)
            end = math.ceil(now / step) * step
            firsts = [t for p in self.grid.panels if (t := p.plot.first_time()) is not None]
            start = clamp_window_start(end - self.window_s, min(firsts, default=None), end)
            if (start, end) != self._shown:
                lead.set_window(start, end)  # linked panels follow and redraw
                self._shown = (start, end)
        for panel in changed:
            panel.plot.redraw_if_dirty()

    def set_following(self, following: bool) -> None:
        """Pause freezes every panel's time axis; Live follows the present again."""
        self._following = following
        for panel in self.grid.panels:
            panel.plot.set_following(following)
        self._show_following(following)
        if following:
            for panel in self.grid.panels:
                self.feed.forget(panel)
            self._shown = None
            self.refresh()

    def _show_following(self, following: bool) -> None:
        self.pause_button.setEnabled(following)
        self.live_button.setEnabled(not following)
        paused = QCoreApplication.translate("Plots", "Paused: drag or wheel to scroll in time")
        self.state.setText("" if following else paused)

    def _rebuild(self, panel: PlotPanel) -> None:
        sensors = self.model.sensors
        panel.channels = [c for c in panel.channels if 0 <= c < len(sensors)]
        specs = [CurveSpec(c, sensors[c].name, sensors[c].unit) for c in panel.channels]
        lead = sensors[panel.channels[0]] if panel.channels else None
        title = f"{lead.name}  ·  {lead.id}" if lead else None
        panel.show_curves(specs, lead.limits if lead else None, title)
        self.feed.forget(panel)

    def _panels_changed(self) -> None:
        for panel in self.grid.panels:
            if panel.property("wired"):
                continue
            panel.setProperty("wired", True)
            panel.plot.followChanged.connect(self._follow_changed)
            self._rebuild(panel)
        self.refresh()

    def _follow_changed(self, following: bool) -> None:
        if not following and self._following:
            self.set_following(False)

    def _window_changed(self, text: str) -> None:
        """text: a WINDOWS_S key (the item's data, English in every language)."""
        self.window_s = WINDOWS_S[text]
        if not self.following:
            (_x0, x1), _ = self.plot.viewRange()
            self.grid.panels[0].plot.set_window(x1 - self.window_s, x1)
        self._shown = None
        self.refresh()

    def _layout_changed(self, text: str) -> None:
        """text: a SHAPES key (the item's data)."""
        self.grid.set_shape(*SHAPES[text])
