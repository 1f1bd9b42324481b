"""Sensor glyphs of the city scene: one glyph mapper, state colours by array view, picking.

All sensors share one vtkGlyph3DMapper whose colour and scale arrays are numpy views onto
VTK memory: a state change for 30,000 sensors is one vectorised write, not 30,000 actors.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import (
    vtkFloatArray,
    vtkIntArray,
    vtkStringArray,
    vtkUnsignedCharArray,
)
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkFiltersSources import vtkRegularPolygonSource, vtkSphereSource
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkActor2D,
    vtkCamera,
    vtkFollower,
    vtkGlyph3DMapper,
    vtkPolyDataMapper,
    vtkRenderer,
)
from vtkmodules.vtkRenderingLabel import vtkLabelPlacementMapper, vtkPointSetToLabelHierarchy

from widgets.scene_splats import SPLAT_ABOVE, splat_mapper

from .scene_geometry import make_polydata
from .scene_style import (
    LEVEL_I,
    LEVEL_IV,
    ROMAN,
    SELECTION_HEX,
    SENSOR_RGBA,
    SENSOR_SCALE,
    dimmed_rgba,
    unit_rgb,
)

MAX_LEVEL_TAGS = 400  # beyond this the tags are noise; the alarm table carries the rest
PICK_TOLERANCE_PX = 6.0
SIZE_PER_DISTANCE = 0.0065  # glyph metres per metre of camera distance: ~12 px at 30 degrees
MIN_GLYPH_SIZE = 0.6


def _matrix(m: object) -> np.ndarray:
    """vtkMatrix4x4 to a numpy 4x4."""
    return np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])  # type: ignore[attr-defined]


def project_to_display(renderer: vtkRenderer, points: np.ndarray) -> tuple[np.ndarray, ...]:
    """World points to VTK display pixels (origin bottom-left), eye depth, and pixels per metre.

    Vectorised equivalent of vtkRenderer.WorldToDisplay, so picking 30k sensors is one matmul.
    """
    cam = renderer.GetActiveCamera()
    aspect = renderer.GetTiledAspectRatio()
    m = _matrix(cam.GetCompositeProjectionTransformMatrix(aspect, -1, 1))
    p11 = cam.GetProjectionTransformMatrix(aspect, -1, 1).GetElement(1, 1)
    clip = points @ m[:3, :3].T + m[:3, 3]
    w = points @ m[3, :3] + m[3, 3]
    safe_w = np.where(np.abs(w) < 1e-12, 1e-12, w)
    ndc = clip / safe_w[:, None]
    sx, sy = renderer.GetSize()
    ox, oy = renderer.GetOrigin()
    xy = np.empty((len(points), 2))
    xy[:, 0] = (ndc[:, 0] + 1.0) * sx / 2.0 + ox
    xy[:, 1] = (ndc[:, 1] + 1.0) * sy / 2.0 + oy
    visible = w > 1e-9  # in front of the camera; clipping planes are not consulted
    px_per_m = np.where(visible, p11 / safe_w * sy / 2.0, 0.0)
    return xy, w, px_per_m, visible


class SensorLayer:
    """Glyphs, level tags and selection ring for every sensor; state comes in as code arrays."""

    def __init__(self, positions: np.ndarray, max_size: float) -> None:
        self.positions = np.ascontiguousarray(positions, dtype=np.float64).reshape(-1, 3)
        self.max_size = float(max_size)
        self.size = self.max_size  # current glyph diameter in metres, follows the camera
        n = len(self.positions)
        self.polydata = make_polydata(self.positions)
        rgba = vtkUnsignedCharArray()
        rgba.SetName("rgba")
        rgba.SetNumberOfComponents(4)
        rgba.SetNumberOfTuples(n)
        scale = vtkFloatArray()
        scale.SetName("scale")
        scale.SetNumberOfTuples(n)
        self.polydata.GetPointData().AddArray(rgba)
        self.polydata.GetPointData().AddArray(scale)
        self._rgba_array, self._scale_array = rgba, scale
        # Views onto VTK-owned memory: writing into them recolours the glyphs.
        self.rgba = vtk_to_numpy(rgba).reshape(n, 4) if n else np.zeros((0, 4), np.uint8)
        self.scale = vtk_to_numpy(scale) if n else np.zeros(0, np.float32)
        self.codes = np.zeros(n, dtype=np.uint8)
        self.blink_mask = np.zeros(n, dtype=bool)
        self._on = np.empty((n, 4), np.uint8)
        self._off = np.empty((n, 4), np.uint8)
        self.blink_on = True
        self.selected: int | None = None
        self._proj_key: tuple | None = None
        self._proj: tuple[np.ndarray, ...] = ()

        if n > SPLAT_ABOVE:  # tens of thousands: splats, one quad each
            self.mapper = splat_mapper(self.polydata, "rgba", "scale")
            self._factor_per_size = 0.5  # a splat's scale factor is its radius
        else:
            sphere = vtkSphereSource()
            sphere.SetRadius(0.5)
            sphere.SetThetaResolution(14)
            sphere.SetPhiResolution(10)
            self.mapper = vtkGlyph3DMapper()
            self.mapper.SetInputData(self.polydata)
            self.mapper.SetSourceConnection(sphere.GetOutputPort())
            self.mapper.OrientOff()
            self.mapper.SetScaleArray("scale")
            self.mapper.SetScaleModeToScaleByMagnitude()
            self.mapper.SetScalarModeToUsePointFieldData()
            self.mapper.SelectColorArray("rgba")
            self.mapper.SetColorModeToDirectScalars()
            self.mapper.ScalarVisibilityOn()
            self._factor_per_size = 1.0  # the glyph is a unit-diameter sphere
        self.mapper.SetScaleFactor(self.size * self._factor_per_size)
        self.actor = vtkActor()
        self.actor.SetMapper(self.mapper)
        prop = self.actor.GetProperty()
        prop.SetAmbient(0.3)
        prop.SetDiffuse(0.7)
        prop.SetSpecular(0.15)
        prop.SetSpecularPower(20)

        ring = vtkRegularPolygonSource()
        ring.SetNumberOfSides(48)
        ring.SetRadius(1.0)
        ring.GeneratePolygonOff()
        ring_mapper = vtkPolyDataMapper()
        ring_mapper.SetInputConnection(ring.GetOutputPort())
        self.ring = vtkFollower()
        self.ring.SetMapper(ring_mapper)
        self.ring.GetProperty().SetColor(unit_rgb(SELECTION_HEX))
        self.ring.GetProperty().SetLineWidth(3.0)
        self.ring.GetProperty().LightingOff()
        self.ring.PickableOff()
        self.ring.VisibilityOff()

        self._tags = vtkPolyData()
        self._tag_hierarchy = vtkPointSetToLabelHierarchy()
        self._tag_hierarchy.SetInputData(self._tags)
        self._tag_hierarchy.SetLabelArrayName("tag")
        self._tag_hierarchy.SetPriorityArrayName("priority")
        tp = self._tag_hierarchy.GetTextProperty()
        tp.SetFontSize(15)
        tp.BoldOn()
        tp.SetColor(1.0, 1.0, 1.0)
        tp.ShadowOn()
        tp.SetJustificationToLeft()
        tp.SetVerticalJustificationToBottom()
        tag_mapper = vtkLabelPlacementMapper()
        tag_mapper.SetInputConnection(self._tag_hierarchy.GetOutputPort())
        tag_mapper.UseDepthBufferOff()
        self.tags = vtkActor2D()
        self.tags.SetMapper(tag_mapper)
        self.set_states(np.zeros(n, dtype=np.uint8))

    def attach_camera(self, camera: vtkCamera) -> None:
        """The selection ring is a follower: it must face the scene's camera."""
        self.ring.SetCamera(camera)

    def size_for(self, camera: vtkCamera) -> float:
        """Glyph diameter for a camera: near-constant on screen, capped at the overview size.

        Fixed world sizes either vanish in the overview or swallow a tunnel in a close-up.
        """
        return float(
            np.clip(camera.GetDistance() * SIZE_PER_DISTANCE, MIN_GLYPH_SIZE, self.max_size)
        )

    def update_view(self, camera: vtkCamera) -> None:
        """Resize glyphs and ring for the camera about to render."""
        size = self.size_for(camera)
        if abs(size - self.size) > 1e-9 * self.max_size:
            self.size = size
            self.mapper.SetScaleFactor(size * self._factor_per_size)
            self._update_ring()

    # --- state ----------------------------------------------------------------------------------

    def set_states(self, codes: np.ndarray, blink_mask: np.ndarray | None = None) -> None:
        """Recolour and rescale every sensor from display codes in one vectorised write each."""
        codes = np.asarray(codes)
        n = len(self.positions)
        if codes.shape != (n,):
            raise ValueError(f"expected {n} sensor codes, got shape {codes.shape}")
        codes = np.clip(codes, 0, len(SENSOR_RGBA) - 1).astype(np.uint8)
        blink = np.zeros(n, bool) if blink_mask is None else np.asarray(blink_mask, dtype=bool)
        if blink.shape != (n,):
            raise ValueError(f"expected {n} blink flags, got shape {blink.shape}")
        self.codes, self.blink_mask = codes, blink
        np.take(SENSOR_RGBA, codes, axis=0, out=self._on)
        np.copyto(self._off, self._on)
        if blink.any():
            self._off[blink] = dimmed_rgba(self._on[blink])
        np.copyto(self.rgba, self._on if self.blink_on else self._off)
        np.take(SENSOR_SCALE, codes, out=self.scale)
        self._rgba_array.Modified()
        self._scale_array.Modified()
        self._update_tags()
        self._update_ring()

    def set_blink_phase(self, on: bool) -> None:
        """Show blinking sensors bright (on) or dimmed (off): one array copy."""
        self.blink_on = bool(on)
        np.copyto(self.rgba, self._on if self.blink_on else self._off)
        self._rgba_array.Modified()

    @property
    def any_blinking(self) -> bool:
        """Whether a blink timer has anything to do."""
        return bool(self.blink_mask.any())

    def _update_tags(self) -> None:
        """Roman level numerals beside alarmed sensors: the level must not rest on colour alone."""
        idx = np.flatnonzero((self.codes >= LEVEL_I) & (self.codes <= LEVEL_IV))
        if len(idx) > MAX_LEVEL_TAGS:
            idx = idx[np.argsort(self.codes[idx], kind="stable")[:MAX_LEVEL_TAGS]]
        pts = self.positions[idx]
        tags = vtkStringArray()
        tags.SetName("tag")
        priority = vtkIntArray()
        priority.SetName("priority")
        for i in idx:
            tags.InsertNextValue("   " + ROMAN[self.codes[i]])
            priority.InsertNextValue(10 - int(self.codes[i]))
        pd = make_polydata(pts)
        pd.GetPointData().AddArray(tags)
        pd.GetPointData().AddArray(priority)
        self._tags.ShallowCopy(pd)
        self._tags.Modified()
        self.tags.SetVisibility(len(idx) > 0)

    # --- selection and picking ------------------------------------------------------------------

    def glyph_radius(self, index: int) -> float:
        """World radius of one sensor's glyph as currently drawn."""
        return self.size * float(self.scale[index]) / 2.0

    def select(self, index: int | None) -> None:
        """Ring the selected sensor (None clears)."""
        if index is not None and not 0 <= index < len(self.positions):
            raise IndexError(f"sensor index {index} out of range 0..{len(self.positions) - 1}")
        self.selected = index
        self._update_ring()

    def _update_ring(self) -> None:
        if self.selected is None:
            self.ring.VisibilityOff()
            return
        r = self.glyph_radius(self.selected) * 1.7 + self.size * 0.15
        self.ring.SetPosition(*self.positions[self.selected])
        self.ring.SetScale(r, r, r)
        self.ring.VisibilityOn()

    def _projection(self, renderer: vtkRenderer) -> tuple[np.ndarray, ...]:
        """Display positions of all sensors, cached until the camera or viewport changes."""
        cam = renderer.GetActiveCamera()
        key = (cam.GetMTime(), tuple(renderer.GetSize()), tuple(renderer.GetOrigin()))
        if key != self._proj_key:
            self._proj = project_to_display(renderer, self.positions)
            self._proj_key = key
        return self._proj

    def display_position(self, renderer: vtkRenderer, index: int) -> tuple[float, float]:
        """Where one sensor's centre lands on screen, in VTK display pixels."""
        xy = self._projection(renderer)[0]
        return (float(xy[index, 0]), float(xy[index, 1]))

    def pick(
        self, renderer: vtkRenderer, x: float, y: float, tolerance: float = PICK_TOLERANCE_PX
    ) -> int | None:
        """The sensor under display pixel (x, y): the frontmost glyph covering it, else the
        nearest centre within tolerance pixels of the glyph's edge."""
        if not len(self.positions):
            return None
        xy, depth, px_per_m, visible = self._projection(renderer)
        dist = np.hypot(xy[:, 0] - x, xy[:, 1] - y)
        size = self.size_for(renderer.GetActiveCamera())
        radius = px_per_m * size * self.scale / 2.0
        covering = visible & (dist <= radius)
        if covering.any():
            idx = np.flatnonzero(covering)
            return int(idx[np.argmin(depth[idx])])
        near = visible & (dist <= radius + tolerance)
        if near.any():
            idx = np.flatnonzero(near)
            return int(idx[np.argmin(dist[idx] - radius[idx])])
        return None
