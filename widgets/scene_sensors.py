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
    vtkPointGaussianMapper,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkTextProperty,
)
from vtkmodules.vtkRenderingLabel import vtkLabelPlacementMapper, vtkPointSetToLabelHierarchy

from widgets.scene_splats import MOVING_POINT_PX, SPLAT_ABOVE, splat_mapper

from .scene_geometry import make_polydata
from .scene_style import (
    BAD_QUALITY,
    LEVEL_I,
    LEVEL_IV,
    SENSOR_SCALE,
    STATE_TAG,
    current,
    dimmed_rgba,
    unit_rgb,
)

MAX_LEVEL_TAGS = 400  # beyond this the tags are noise; the alarm table carries the rest
PICK_TOLERANCE_PX = 6.0
SIZE_PER_DISTANCE = 0.0065  # glyph metres per metre of camera distance: ~12 px at 30 degrees
MIN_GLYPH_SIZE = 0.6
ALARM_MIN_PX = 11.0  # an alarm glyph is never drawn smaller than this (diameter)
MAX_ALARM_BOOST = 8.0
TAG_FONT = 15
QUALITY_TAGS_BELOW = 0.5  # '?' tags show once glyphs are below half their overview size


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


def _tag_layer() -> tuple[vtkPolyData, vtkActor2D, vtkTextProperty]:
    """An empty set of bold tags (the theme's tag colour) and the actor placing them apart."""
    data = vtkPolyData()
    hierarchy = vtkPointSetToLabelHierarchy()
    hierarchy.SetInputData(data)
    hierarchy.SetLabelArrayName("tag")
    hierarchy.SetPriorityArrayName("priority")
    tp = hierarchy.GetTextProperty()
    tp.SetFontSize(TAG_FONT)
    tp.BoldOn()
    tp.SetColor(unit_rgb(current().sensor_tag))
    tp.ShadowOn()
    tp.SetJustificationToLeft()
    tp.SetVerticalJustificationToBottom()
    mapper = vtkLabelPlacementMapper()
    mapper.SetInputConnection(hierarchy.GetOutputPort())
    mapper.UseDepthBufferOff()
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.PickableOff()
    actor.VisibilityOff()
    return data, actor, tp


def _fill_tags(data: vtkPolyData, points: np.ndarray, codes: np.ndarray) -> None:
    """Replace a tag set: each sensor's state tag, the more severe placed first."""
    tags = vtkStringArray()
    tags.SetName("tag")
    priority = vtkIntArray()
    priority.SetName("priority")
    for code in codes:
        tags.InsertNextValue("   " + STATE_TAG[int(code)])
        priority.InsertNextValue(10 - int(code))
    pd = make_polydata(points)
    pd.GetPointData().AddArray(tags)
    pd.GetPointData().AddArray(priority)
    data.ShallowCopy(pd)
    data.Modified()


class SensorLayer:
    """Glyphs, level tags and selection ring for every sensor; state comes in as code arrays."""

    def __init__(self, positions: np.ndarray, max_size: float) -> None:
        self.positions = np.ascontiguousarray(positions, dtype=np.float64).reshape(-1, 3)
        self.max_size = float(max_size)
        self.colours = current()  # state colours, selection ring, blink background
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
        self.alarm_boost = 1.0
        self.selected: int | None = None
        self._proj_key: tuple | None = None
        self._proj: tuple[np.ndarray, ...] = ()
        self.points_only = False  # splats drawn as plain points while the camera moves

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
        prop.SetPointSize(MOVING_POINT_PX)  # used only as plain points
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
        self.ring.GetProperty().SetColor(unit_rgb(self.colours.selection))
        self.ring.GetProperty().SetLineWidth(3.0)
        self.ring.GetProperty().LightingOff()
        self.ring.PickableOff()
        self.ring.VisibilityOff()

        self._tags, self.tags, tag_tp = _tag_layer()
        self._quality_tags, self.quality_tags, quality_tp = _tag_layer()
        self._tag_props = (tag_tp, quality_tp)
        self._quality_count = 0
        self._tag_key: tuple[bytes, ...] | None = None
        self.set_states(np.zeros(n, dtype=np.uint8))

    @property
    def tag_actors(self) -> tuple[vtkActor2D, vtkActor2D]:
        """Level numerals and bad-quality marks, for adding to a renderer."""
        return (self.tags, self.quality_tags)

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

    def update_view(self, camera: vtkCamera, px_per_m: float | None = None) -> None:
        """Resize glyphs and ring for the camera about to render.

        px_per_m (at the focal point) lets alarms grow to at least ALARM_MIN_PX when the
        overview of a big city draws every glyph smaller than that.
        """
        size = self.size_for(camera)
        boost = 1.0
        if px_per_m is not None and px_per_m > 0:
            alarm_px = size * float(SENSOR_SCALE[LEVEL_IV]) * px_per_m
            boost = float(np.clip(ALARM_MIN_PX / max(alarm_px, 1e-9), 1.0, MAX_ALARM_BOOST))
            boost = round(boost * 4.0) / 4.0  # steps: no rewrite for every zoom tick
        if boost != self.alarm_boost:
            self.alarm_boost = boost
            self._write_scale()
            self._update_ring()
        if abs(size - self.size) > 1e-9 * self.max_size:
            self.size = size
            if not self.points_only:
                self.mapper.SetScaleFactor(size * self._factor_per_size)
            self._update_ring()
        # '?' marks only once zoomed in: at the overview they would bury the alarm numerals
        self.quality_tags.SetVisibility(self._quality_count > 0 and self.zoomed_in)

    def set_points_only(self, on: bool) -> None:
        """Splats drawn as plain points (a camera on the move); no effect on glyphs."""
        if not isinstance(self.mapper, vtkPointGaussianMapper) or on == self.points_only:
            return
        self.points_only = on
        self.mapper.SetScaleFactor(0.0 if on else self.size * self._factor_per_size)

    def set_type_scale(self, scale: float) -> None:
        """Tag size for the window: bigger numerals on a wall screen."""
        size = round(TAG_FONT * scale)
        for tp in self._tag_props:
            if tp.GetFontSize() != size:
                tp.SetFontSize(size)

    @property
    def zoomed_in(self) -> bool:
        """Whether glyphs are drawn well below their overview size."""
        return self.size < self.max_size * QUALITY_TAGS_BELOW

    # --- state ----------------------------------------------------------------------------------

    def set_states(self, codes: np.ndarray, blink_mask: np.ndarray | None = None) -> None:
        """Recolour and rescale every sensor from display codes in one vectorised write each."""
        codes = np.asarray(codes)
        n = len(self.positions)
        if codes.shape != (n,):
            raise ValueError(f"expected {n} sensor codes, got shape {codes.shape}")
        palette = self.colours.sensor_rgba
        codes = np.clip(codes, 0, len(palette) - 1).astype(np.uint8)
        blink = np.zeros(n, bool) if blink_mask is None else np.asarray(blink_mask, dtype=bool)
        if blink.shape != (n,):
            raise ValueError(f"expected {n} blink flags, got shape {blink.shape}")
        self.codes, self.blink_mask = codes, blink
        np.take(palette, codes, axis=0, out=self._on)
        np.copyto(self._off, self._on)
        if blink.any():
            self._off[blink] = dimmed_rgba(
                self._on[blink], background=self.colours.background_bottom
            )
        np.copyto(self.rgba, self._on if self.blink_on else self._off)
        self._write_scale()
        self._rgba_array.Modified()
        self._scale_array.Modified()
        self._update_tags()
        self._update_ring()

    def _write_scale(self) -> None:
        """Glyph scale per sensor from its code, alarms boosted at a far overview."""
        np.take(SENSOR_SCALE, self.codes, out=self.scale)
        if self.alarm_boost != 1.0:
            alarmed = (self.codes >= LEVEL_I) & (self.codes <= LEVEL_IV)
            self.scale[alarmed] *= self.alarm_boost
        self._scale_array.Modified()

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
        """Roman level numerals beside alarmed sensors, '?' beside bad-quality ones: a state
        must not rest on colour alone."""
        idx = np.flatnonzero((self.codes >= LEVEL_I) & (self.codes <= LEVEL_IV))
        if len(idx) > MAX_LEVEL_TAGS:
            idx = idx[np.argsort(self.codes[idx], kind="stable")[:MAX_LEVEL_TAGS]]
        bad = np.flatnonzero(self.codes == BAD_QUALITY)[:MAX_LEVEL_TAGS]
        key = (idx.tobytes(), self.codes[idx].tobytes(), bad.tobytes())
        if key != self._tag_key:  # a recolour with no state change rebuilds no text
            self._tag_key = key
            _fill_tags(self._tags, self.positions[idx], self.codes[idx])
            _fill_tags(self._quality_tags, self.positions[bad], self.codes[bad])
        self.tags.SetVisibility(len(idx) > 0)
        self._quality_count = len(bad)
        self.quality_tags.SetVisibility(len(bad) > 0 and self.zoomed_in)

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
