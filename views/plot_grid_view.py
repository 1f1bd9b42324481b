"""N x M plot panels sharing one time axis; the focused panel receives the selected channel."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from widgets.plot_panel import PlotPanel

SHAPES = {  # English keys; the plots view shows them translated (context "Plots")
    QT_TRANSLATE_NOOP("Plots", "1 panel"): (1, 1),
    QT_TRANSLATE_NOOP("Plots", "2 × 2"): (2, 2),
    QT_TRANSLATE_NOOP("Plots", "3 × 3"): (3, 3),
    QT_TRANSLATE_NOOP("Plots", "4 × 4"): (4, 4),
}


class PlotGrid(QWidget):
    """Panels are kept when the grid grows and their channels survive a shrink where they fit."""

    panelsChanged = Signal()  # panels were created or removed
    focusChanged = Signal(int)  # index of the panel that now receives channels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.panels: list[PlotPanel] = []
        self.shape = (0, 0)
        self.focused = 0
        self.set_shape(1, 1)

    @property
    def focused_panel(self) -> PlotPanel:
        return self.panels[self.focused]

    def set_shape(self, rows: int, cols: int) -> None:
        """Lay out rows x cols panels, x axes linked to the first panel's."""
        if (rows, cols) == self.shape:
            return
        wanted = rows * cols
        while len(self.panels) > wanted:
            panel = self.panels.pop()
            self._layout.removeWidget(panel)
            panel.plot.setXLink(None)
            panel.deleteLater()
        while len(self.panels) < wanted:
            panel = PlotPanel(self)
            panel.focusRequested.connect(lambda p=panel: self.focus(self.panels.index(p)))
            if self.panels:
                panel.plot.setXLink(self.panels[0].plot)
                panel.plot.set_following(self.panels[0].plot.following)
            self.panels.append(panel)
        for i, panel in enumerate(self.panels):
            self._layout.addWidget(panel, i // cols, i % cols)
            # x is linked, so only the bottom row needs a time axis (axes dominate paint cost)
            if i // cols == rows - 1:
                panel.plot.getPlotItem().showAxis("bottom")
            else:
                panel.plot.getPlotItem().hideAxis("bottom")
        self.shape = (rows, cols)
        self.focus(min(self.focused, wanted - 1))
        self.panelsChanged.emit()

    def focus(self, index: int) -> None:
        """Make a panel the one the next selected channel goes to."""
        self.focused = index
        for i, panel in enumerate(self.panels):
            panel.set_focused(i == index and len(self.panels) > 1)
        self.focusChanged.emit(index)
