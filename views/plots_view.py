"""Live plots of the channels the operator picked, following the selection."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backend_client.model.console_model import ConsoleModel
from widgets.sensor_plot import CurveSpec, SensorPlot

WINDOWS_S = {"1 min": 60, "10 min": 600, "1 h": 3600}
MAX_CURVES = 6
DEFAULT_CURVES = 3


class PlotsView(QWidget):
    """The newest selected channel leads (its limits are drawn); older picks stay as context."""

    def __init__(self, model: ConsoleModel, window_s: float = 600.0, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.window_s = window_s
        self.plot = SensorPlot(self)
        self.title = QLabel("Select a sensor to plot it", self)
        self.title.setObjectName("panelTitle")
        self.window_box = QComboBox(self)
        self.window_box.addItems(list(WINDOWS_S))
        self.window_box.setCurrentText(
            next((k for k, v in WINDOWS_S.items() if v == window_s), "10 min")
        )
        self.window_box.currentTextChanged.connect(self._window_changed)
        clear = QPushButton("Clear", self)
        clear.clicked.connect(self.clear)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.window_box)
        bar.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.plot, 1)
        self._channels: list[int] = []

    @property
    def channels(self) -> list[int]:
        return list(self._channels)

    def show_channel(self, channel: int) -> None:
        """Put a channel at the front of the plot."""
        if channel < 0 or channel >= len(self.model.sensors):
            return
        if channel in self._channels:
            self._channels.remove(channel)
        self._channels.insert(0, channel)
        del self._channels[MAX_CURVES:]
        self._rebuild()
        self.refresh()

    def clear(self) -> None:
        self._channels = []
        self._rebuild()

    def reset(self) -> None:
        """The catalog changed: start on a few comparable channels so the panel is live at once."""
        sensors = self.model.sensors
        if sensors:
            first = sensors[0]
            peers = [
                i for i, s in enumerate(sensors) if s.type == first.type and s.unit == first.unit
            ]
            self._channels = peers[:DEFAULT_CURVES][::-1]
        else:
            self._channels = []
        self._rebuild()

    def _rebuild(self) -> None:
        sensors = self.model.sensors
        specs = [CurveSpec(c, sensors[c].name, sensors[c].unit) for c in self._channels]
        lead = sensors[self._channels[0]] if self._channels else None
        self.plot.set_curves(specs, lead.limits if lead else None)
        if lead is not None:
            self.title.setText(f"{lead.name}  ·  {lead.id}")
        else:
            self.title.setText("Select a sensor to plot it")

    def _window_changed(self, text: str) -> None:
        self.window_s = WINDOWS_S[text]
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the buffers; called once per display frame at most."""
        now = time.time()
        start = now - self.window_s
        since = int(start * 1e6)
        first = now
        for channel in self._channels:
            series = self.model.buffers.series(channel, since_us=since)
            self.plot.update_curve(channel, series.times_us, series.values, series.quality)
            if series.times_us.size:
                first = min(first, series.times_us[0] / 1e6)
        # until the window is full, the axis spans what is there rather than empty minutes
        self.plot.set_window(max(start, min(first, now - 30.0)), now)
