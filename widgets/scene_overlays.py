"""Orientation aids of the city scene: compass inset, scale bar and non-overlapping labels."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkFiltersSources import vtkRegularPolygonSource
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkActor2D,
    vtkBillboardTextActor3D,
    vtkCamera,
    vtkPolyDataMapper,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
)

from .scene_fonts import use_font_for
from .scene_geometry import make_polydata, polyline_cells, regular_cells
from .scene_style import current, unit_rgb

COMPASS_VIEWPORT = (0.0, 0.0, 0.085, 0.15)


class Compass:
    """A flat north needle in a corner inset that tilts and turns with the main camera."""

    def __init__(self) -> None:
        self.renderer = vtkRenderer()
        self.renderer.SetViewport(*COMPASS_VIEWPORT)
        self.renderer.InteractiveOff()
        self.renderer.SetLayer(1)
        north = make_polydata(
            np.array([[0.0, 0.72, 0.0], [0.26, -0.1, 0.0], [0.0, 0.05, 0.0], [-0.26, -0.1, 0.0]]),
            polys=regular_cells(np.array([[0, 3, 2], [0, 2, 1]])),
        )
        south = make_polydata(
            np.array([[0.0, -0.6, 0.0], [0.26, -0.1, 0.0], [0.0, 0.05, 0.0], [-0.26, -0.1, 0.0]]),
            polys=regular_cells(np.array([[0, 1, 2], [0, 2, 3]])),
        )
        ring = vtkRegularPolygonSource()
        ring.SetNumberOfSides(64)
        ring.SetRadius(0.62)
        ring.GeneratePolygonOff()
        ring.Update()
        self.label = vtkBillboardTextActor3D()
        north_text = QCoreApplication.translate("SceneCompass", "N", "north, on the compass")
        self.label.SetInput(north_text)
        self.label.SetPosition(0.0, 0.98, 0.0)
        tp = self.label.GetTextProperty()
        tp.SetFontSize(15)
        tp.BoldOn()
        use_font_for(tp, north_text)
        colours = current()  # the needle and its letter in the theme's compass colours
        tp.SetColor(unit_rgb(colours.compass_text))
        tp.SetJustificationToCentered()
        tp.SetVerticalJustificationToCentered()
        props = [
            _flat_actor(north, colours.compass_north),
            _flat_actor(south, colours.compass_south),
            _flat_actor(ring.GetOutput(), colours.compass_ring, line_width=1.5),
            self.label,
        ]
        for prop in props:
            prop.PickableOff()
            self.renderer.AddViewProp(prop)
        self.camera: vtkCamera = self.renderer.GetActiveCamera()
        self.camera.ParallelProjectionOn()
        self.camera.SetParallelScale(1.15)

    def sync(self, main: vtkCamera) -> None:
        """Match the main camera's orientation (not its position)."""
        d = np.subtract(main.GetFocalPoint(), main.GetPosition())
        d = d / max(float(np.linalg.norm(d)), 1e-12)
        self.camera.SetFocalPoint(0.0, 0.0, 0.0)
        self.camera.SetPosition(*(-d * 10.0))
        self.camera.SetViewUp(*main.GetViewUp())
        self.camera.SetClippingRange(1.0, 20.0)


def _flat_actor(pd: vtkPolyData, rgb: str, line_width: float = 1.0) -> vtkActor:
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(pd)
    actor = vtkActor()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(unit_rgb(rgb))
    actor.GetProperty().LightingOff()
    actor.GetProperty().SetLineWidth(line_width)
    return actor


def nice_length(max_metres: float) -> float:
    """Largest 1-2-5 x 10^k length not above max_metres."""
    mag = 10.0 ** math.floor(math.log10(max(max_metres, 1e-6)))
    for f in (5.0, 2.0, 1.0):
        if f * mag <= max_metres:
            return f * mag
    return mag


class ScaleBar:
    """A metric bar in the bottom-right corner, true at the focal point's depth."""

    MAX_PX = 180.0
    MARGIN_PX = 28.0

    def __init__(self) -> None:
        self.polydata = vtkPolyData()
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(self.polydata)
        self.bar = vtkActor2D()
        self.bar.SetMapper(mapper)
        label = current().label
        self.bar.GetProperty().SetColor(unit_rgb(label))
        self.bar.GetProperty().SetLineWidth(2.0)
        self.text = vtkTextActor()
        tp = self.text.GetTextProperty()
        tp.SetFontSize(14)
        tp.SetColor(unit_rgb(label))
        tp.SetJustificationToCentered()
        tp.SetVerticalJustificationToBottom()
        self._key: tuple[float, ...] = ()

    @property
    def props(self) -> tuple[vtkActor2D, vtkTextActor]:
        """What to add to a renderer."""
        return (self.bar, self.text)

    def update(self, renderer: vtkRenderer) -> None:
        """Recompute length and label for the renderer's current camera and size."""
        cam = renderer.GetActiveCamera()
        w, h = renderer.GetSize()
        if w <= 0 or h <= 0:
            return
        if cam.GetParallelProjection():
            metres_per_px = 2.0 * cam.GetParallelScale() / h
        else:
            metres_per_px = (
                2.0 * cam.GetDistance() * math.tan(math.radians(cam.GetViewAngle()) / 2) / h
            )
        key = (metres_per_px, float(w), float(h))
        if key == self._key:
            return
        self._key = key
        length = nice_length(self.MAX_PX * metres_per_px)
        px = length / metres_per_px
        x1, y = w - self.MARGIN_PX, self.MARGIN_PX
        x0 = x1 - px
        tick = 6.0
        pts = np.array([[x0, y + tick, 0], [x0, y, 0], [x1, y, 0], [x1, y + tick, 0]], dtype=float)
        self.polydata.ShallowCopy(make_polydata(pts, lines=polyline_cells([4])))
        self.text.SetInput(f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m")
        self.text.SetPosition((x0 + x1) / 2.0, y + 4.0)
