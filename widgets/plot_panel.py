"""One plot panel: a title, the plot and its cursor readout; it knows channels, not the model."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from backend_client.city import Limits
from widgets.sensor_plot import CurveSpec, SensorPlot
from widgets.style_flags import set_style_flag

MAX_CURVES = 6
EMPTY_TITLE = QT_TRANSLATE_NOOP("Plots", "Select a sensor to plot it")


class PlotPanel(QWidget):
    """The newest channel put here leads (its limits are drawn); older ones stay as context."""

    focusRequested = Signal()  # the operator clicked into this panel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plotPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("focused", False)
        self.title = QLabel(QCoreApplication.translate("Plots", EMPTY_TITLE), self)
        self.title.setObjectName("panelTitle")
        self.plot = SensorPlot(self)
        self.readout = QLabel("", self)
        self.readout.setObjectName("cursorReadout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long line is clipped, never widens the panel; lines are broken by the plot
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.channels: list[int] = []
        self.plot.cursorMoved.connect(self._show_readout)
        self.plot.scene().sigMouseClicked.connect(lambda _ev: self.focusRequested.emit())

    def _show_readout(self, text: str) -> None:
        """Reserve every line: a squeezed grid panel would otherwise show only the first."""
        self.readout.setText(text)
        lines = text.count("\n") + 1
        self.readout.setMinimumHeight(self.readout.fontMetrics().lineSpacing() * lines + 2)

    def set_focused(self, focused: bool) -> None:
        """Show which panel the next selected channel goes to."""
        set_style_flag(self, "focused", focused)

    def put_channel(self, channel: int) -> None:
        """Put a channel at the front; the oldest drops out past MAX_CURVES."""
        if channel in self.channels:
            self.channels.remove(channel)
        self.channels.insert(0, channel)
        del self.channels[MAX_CURVES:]

    def show_curves(self, specs: list[CurveSpec], limits: Limits | None, title: str | None) -> None:
        """Rebuild the curves for the channels, with the lead's limit bands and name."""
        self.plot.set_curves(specs, limits)
        self.title.setText(title or QCoreApplication.translate("Plots", EMPTY_TITLE))
        self.readout.setText("")
