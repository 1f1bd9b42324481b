"""A curve drawn by Qt's own path item: repainting one costs no Python per paint.

pyqtgraph's PlotCurveItem recomputes its bounds and paints in Python on every repaint; with
dozens of curves on a wall grid that overhead, not drawing, dominated each frame. This item keeps
pyqtgraph's fast array-to-path conversion and lets Qt paint.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

PAD_PX = 3.0  # bounds padding in pixels: a cosmetic pen of up to 2 px is never clipped


class CurvePath(QGraphicsPathItem):
    """Line through (x, y) in view coordinates; NaN breaks the line (connect='finite')."""

    def __init__(self, pen: QPen, cached: bool = False) -> None:
        super().__init__()
        self.setPen(pen)
        self.opts = {"pen": pen}  # what pyqtgraph's legend reads to draw a sample line
        self._rect = QRectF()
        self.x = np.zeros(0)
        self.y = np.zeros(0)
        if cached:  # a pixmap per item: repainting around it is a copy, not a redraw
            self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_points(self, x: np.ndarray, y: np.ndarray, pixel: tuple[float, float]) -> None:
        """New points; `pixel` is the view's (width, height) of one pixel, for the padding."""
        self.x, self.y = x, y
        path = pg.arrayToQPath(x, y, connect="finite") if x.size else QPainterPath()
        self.prepareGeometryChange()
        finite = np.isfinite(y)
        if finite.any():
            xs, ys = x[finite], y[finite]
            px, py = PAD_PX * abs(pixel[0]), PAD_PX * abs(pixel[1])
            lo_x, hi_x, lo_y, hi_y = xs.min(), xs.max(), ys.min(), ys.max()
            self._rect = QRectF(lo_x - px, lo_y - py, hi_x - lo_x + 2 * px, hi_y - lo_y + 2 * py)
        else:
            self._rect = QRectF()
        self.setPath(path)

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        """The bounds, not a stroke of every point: mouse hit tests stay cheap."""
        shape = QPainterPath()
        shape.addRect(self._rect)
        return shape
