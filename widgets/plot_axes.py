"""Time-panning view box and one y axis per unit, linked on time (pyqtgraph MultiplePlotAxes)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from widgets.theme import active_theme

MAX_UNITS = 3  # the left axis plus two on the right; further units share the left axis
WHEEL_PAN_FRACTION = 0.1
TICK_PX = 5  # outward: inward ticks overlap the plot, so each new sample repainted the axis


def style_axis(axis: pg.AxisItem) -> None:
    """Major ticks only (minor ones tripled the paint cost), pointing away from the curves."""
    axis.setStyle(maxTickLevel=0, tickLength=TICK_PX)
    foreground = active_theme().qcolor("plot.foreground")  # axes follow the theme, not pg's grey
    axis.setPen(foreground)
    axis.setTextPen(foreground)


class TimeViewBox(pg.ViewBox):
    """The mouse moves through time: drag and wheel pan x; y belongs to the autoscaler."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setMouseEnabled(x=True, y=False)
        self.setMenuEnabled(False)

    def wheelEvent(self, ev, axis=None) -> None:
        """Wheel pans by a tenth of the window instead of zooming."""
        (x0, x1), _ = self.viewRange()
        steps = ev.delta() / 120.0
        self.translateBy(x=-steps * WHEEL_PAN_FRACTION * (x1 - x0))
        self.sigRangeChangedManually.emit([True, False])
        ev.accept()


class UnitAxes:
    """Maps units to view boxes: the first unit uses the plot's own, others get a right axis."""

    def __init__(self, plot_item: pg.PlotItem) -> None:
        self.plot_item = plot_item
        self.units: list[str] = []
        self.boxes: dict[str, pg.ViewBox] = {}
        self._extra: list[tuple[pg.ViewBox, pg.AxisItem]] = []
        plot_item.vb.sigResized.connect(self._sync_geometry)

    def set_units(self, units: list[str]) -> None:
        """One box per distinct unit, in first-seen order; the overflow shares the left axis."""
        self.clear()
        ordered = list(dict.fromkeys(units))
        own, shared = ordered[:MAX_UNITS], ordered[MAX_UNITS:]
        main = self.plot_item.vb
        self.units = own
        if own:
            self.plot_item.setLabel("left", " / ".join([own[0], *shared]))
            self.boxes[own[0]] = main
            for u in shared:
                self.boxes[u] = main
        else:
            self.plot_item.setLabel("left", "")
        for k, unit in enumerate(own[1:]):
            box = pg.ViewBox()
            box.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)  # no border
            box.setMouseEnabled(x=False, y=False)
            box.setMenuEnabled(False)
            axis = pg.AxisItem("right")
            axis.enableAutoSIPrefix(False)
            style_axis(axis)
            axis.setLabel(unit)
            self.plot_item.layout.addItem(axis, 2, 3 + k)
            self.plot_item.scene().addItem(box)
            axis.linkToView(box)
            box.setXLink(main)
            self.boxes[unit] = box
            self._extra.append((box, axis))
        if own[1:]:
            self.plot_item.showAxis("right", False)
        self._sync_geometry()

    def clear(self) -> None:
        for box, axis in self._extra:
            self.plot_item.layout.removeItem(axis)
            for item in list(box.addedItems):
                box.removeItem(item)
            for item in (axis, box):
                if item.scene() is not None:
                    item.scene().removeItem(item)
        self._extra = []
        self.boxes = {}
        self.units = []

    def box_for(self, unit: str) -> pg.ViewBox:
        return self.boxes.get(unit, self.plot_item.vb)

    def axis_for(self, unit: str) -> pg.AxisItem:
        """The axis that shows a unit's scale (left for the first, a right one for the others)."""
        box = self.box_for(unit)
        for extra_box, axis in self._extra:
            if extra_box is box:
                return axis
        return self.plot_item.getAxis("left")

    def _sync_geometry(self) -> None:
        """Extra boxes sit exactly over the main one (they are not in the layout)."""
        rect = self.plot_item.vb.sceneBoundingRect()
        for box, _axis in self._extra:
            box.setGeometry(rect)
            box.linkedViewChanged(self.plot_item.vb, box.XAxis)
