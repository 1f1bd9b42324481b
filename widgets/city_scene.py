"""The 3D city scene as a pure VTK object: a function of the city model plus state arrays.

No Qt widgets here (napari's _vispy split; QtCore only translates the words it shows):
the console's SceneWidget wraps it, the offscreen script
and tests drive it directly. Sensors live in an overlay layer that shares the main camera,
so an alarm is never hidden behind ground, tunnel walls or a bridge deck.
"""

from __future__ import annotations

import math

import numpy as np

# Imported for their side effect: they register the OpenGL and FreeType render back ends.
from vtkmodules import vtkRenderingFreeType, vtkRenderingOpenGL2  # noqa: F401
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkRenderingCore import (
    vtkCamera,
    vtkPointGaussianMapper,
    vtkRenderer,
    vtkRenderWindow,
    vtkWindowToImageFilter,
)

from backend_client.city import City

from .scene_camera import (
    CameraPose,
    Vec3,
    heading_of,
    oblique_heading,
    polyline_heading,
    pose_fitting,
    pose_looking_at,
)
from .scene_labels import LabelLayer
from .scene_legend import Legend, ValueBar
from .scene_overlays import Compass, ScaleBar
from .scene_pipes import domain_colours
from .scene_sensors import SensorLayer
from .scene_splats import set_moving
from .scene_static import SceneSizes, build_static_layers, tunnel_actors
from .scene_style import current, type_scale, unit_rgb
from .scene_values import PipelineValues, ValueMode
from .scene_words import pipe_note

OVERVIEW_HEADING = 15.0
OVERVIEW_ELEVATION = 52.0
FOCUS_ELEVATION = 40.0
FOCUS_DISTANCE = 300.0  # neighbouring fire zones (200 m) stay in view


class CityScene:
    """Renderers and actors for one city; state comes in as numpy arrays, nothing renders itself.

    Call attach(render_window) once, then render the window whenever a method reports a change.
    """

    def __init__(self, city: City, sensor_size: float | None = None) -> None:
        """Build every actor for `city`; sensor_size caps the glyph diameter in metres."""
        self.city = city
        self.sizes = SceneSizes.for_city(city)
        if sensor_size is not None:
            self.sizes.sensor = float(sensor_size)
        self.renderer = vtkRenderer()
        self.renderer.GradientBackgroundOn()
        colours = current()  # the theme's sky gradient
        self.renderer.SetBackground(unit_rgb(colours.background_bottom))
        self.renderer.SetBackground2(unit_rgb(colours.background_top))
        self.renderer.SetUseDepthPeeling(True)
        self.renderer.SetMaximumNumberOfPeels(6)
        self.renderer.SetOcclusionRatio(0.05)
        self.renderer.SetUseFXAA(True)
        self.renderer.SetNearClippingPlaneTolerance(0.0005)
        self.camera: vtkCamera = self.renderer.GetActiveCamera()
        self.camera.SetViewAngle(30.0)

        self.static = build_static_layers(city, self.sizes)
        for actor in self.static.actors():
            self.renderer.AddActor(actor)
        self.labels = LabelLayer(city)
        for prop in self.labels.actors:  # below the sensor layer: a name never hides an alarm
            self.renderer.AddViewProp(prop)
        self.pipe_values = PipelineValues(city)
        self.pipe_mode: ValueMode | None = None  # None: pipes in their network's colour
        self.xray = False

        self.overlay = vtkRenderer()  # sensors, selection ring, level tags, scale bar: on top
        self.overlay.SetLayer(1)
        self.overlay.InteractiveOff()
        self.overlay.SetActiveCamera(self.camera)
        positions = np.array([s.position for s in city.sensors], dtype=np.float64).reshape(-1, 3)
        self.sensors = SensorLayer(positions, self.sizes.sensor)
        self.sensors.attach_camera(self.camera)
        self.overlay.AddActor(self.sensors.actor)
        self.overlay.AddActor(self.sensors.ring)
        for prop in self.sensors.tag_actors:
            self.overlay.AddViewProp(prop)
        self.scale_bar = ScaleBar()
        for prop in self.scale_bar.props:
            self.overlay.AddViewProp(prop)
        self.legend = Legend()
        for prop in self.legend.props():
            self.overlay.AddViewProp(prop)
        self.value_bar = ValueBar()
        self.overlay.AddViewProp(self.value_bar.actor)
        self.compass = Compass()

        self._bounds = self._scene_bounds()
        self.renderer.AddObserver("StartEvent", self._before_render)
        self.overview()

    # --- wiring ---------------------------------------------------------------------------------

    @property
    def renderers(self) -> tuple[vtkRenderer, ...]:
        """Main, overlay and compass renderers, in layer order."""
        return (self.renderer, self.overlay, self.compass.renderer)

    def attach(self, window: vtkRenderWindow) -> None:
        """Add this scene's renderers to a render window (Qt's or an offscreen one)."""
        window.SetNumberOfLayers(max(window.GetNumberOfLayers(), 2))
        window.SetMultiSamples(0)  # depth peeling and FXAA instead of MSAA
        window.SetAlphaBitPlanes(1)
        for r in self.renderers:
            window.AddRenderer(r)

    def detach(self, window: vtkRenderWindow) -> None:
        """Remove this scene from a window, e.g. before loading another city."""
        for r in self.renderers:
            window.RemoveRenderer(r)

    def _scene_bounds(self) -> tuple[float, float, float, float, float, float]:
        """Bounds of everything drawn, sensors included, for clipping and framing."""
        b = np.array(self.renderer.ComputeVisiblePropBounds(), dtype=np.float64)
        if not np.all(np.isfinite(b)) or b[0] > b[1]:
            b = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
        pos = self.sensors.positions
        if len(pos):
            r = self.sizes.sensor * 1.5
            b[0::2] = np.minimum(b[0::2], pos.min(axis=0) - r)
            b[1::2] = np.maximum(b[1::2], pos.max(axis=0) + r)
        return tuple(float(v) for v in b)  # type: ignore[return-value]

    def _before_render(self, *_: object) -> None:
        """Keep sensors inside the clipping range and the compass aligned with the camera."""
        self.renderer.ResetCameraClippingRange(*self._bounds)
        self.compass.sync(self.camera)
        ppm = self.pixels_per_metre()
        self.sensors.update_view(self.camera, ppm)
        self.sensors.set_type_scale(type_scale(self.renderer.GetSize()[1]))
        self.scale_bar.update(self.renderer)
        self.static.pipes.update_view(ppm)
        self.labels.update(self.renderer)
        self.legend.update(self.renderer)
        self.value_bar.update(self.renderer)

    def pixels_per_metre(self) -> float:
        """Screen pixels per metre at the focal point's distance."""
        h = max(self.renderer.GetSize()[1], 1)
        if self.camera.GetParallelProjection():
            return h / (2.0 * self.camera.GetParallelScale())
        half = math.tan(math.radians(self.camera.GetViewAngle()) / 2.0)
        return h / (2.0 * max(self.camera.GetDistance(), 1e-9) * half)

    # --- state ----------------------------------------------------------------------------------

    def set_fast_rendering(self, fast: bool) -> None:
        """Drop depth peeling and anti-aliasing: translucent layers blend unsorted, edges alias."""
        self.renderer.SetUseDepthPeeling(not fast)
        self.renderer.SetUseFXAA(not fast)

    def set_moving(self, moving: bool) -> None:
        """While the camera moves, splats (big cities) are drawn as plain points: software GL
        renders a frame in about half the time."""
        self.sensors.set_points_only(moving)
        self.legend.set_moving(moving)
        nodes = self.static.nodes
        if nodes is not None and isinstance(nodes.GetMapper(), vtkPointGaussianMapper):
            set_moving(nodes, moving, self.sizes.node * 0.5)

    def set_sensor_states(self, codes: np.ndarray, blink_mask: np.ndarray | None = None) -> None:
        """Recolour every sensor from uint8 codes (0 normal, 1..4 level I..IV, 5 bad, 6 offline)."""
        self.sensors.set_states(codes, blink_mask)

    def set_blink_phase(self, on: bool) -> None:
        """Bright (on) or dimmed (off) for sensors flagged in the blink mask."""
        self.sensors.set_blink_phase(on)

    @property
    def blinking(self) -> bool:
        """Whether any sensor blinks, i.e. whether a blink timer is needed at all."""
        return self.sensors.any_blinking

    def set_xray(self, on: bool) -> None:
        """X-ray: compartments cut away above mid-height and see-through, the ground thinner."""
        self.xray = bool(on)
        if self.xray and not self.static.cutaway:  # built on first use: most shifts never ask
            self.static.cutaway = tunnel_actors(self.city, cutaway=True)
            for actor in self.static.cutaway:
                self.renderer.AddActor(actor)
        self.static.set_xray(self.xray)

    def set_legend_visible(self, on: bool) -> None:
        """Show or hide the key panel."""
        self.legend.set_visible(on)

    @property
    def legend_visible(self) -> bool:
        """Whether the key panel is shown."""
        return self.legend.visible

    def set_pipe_mode(self, key: str | None) -> None:
        """Colour pipelines by network (None) or by a live value (a PipelineValues mode key)."""
        mode = None if key is None else self.pipe_values.mode(key)
        self.pipe_mode = mode
        self.value_bar.set_mode(mode)
        if mode is None:
            self.legend.set_pipe_note("")
            self.static.pipes.set_colours(domain_colours(self.static.pipes.domains))
        else:
            self.legend.set_pipe_note(pipe_note(mode))
            n = len(self.city.sensors)
            self.set_pipe_values(np.full(n, np.nan))

    def set_pipe_values(self, values: np.ndarray, good: np.ndarray | None = None) -> None:
        """Latest value per sensor (channel order) in value mode: one pipeline colour write."""
        if self.pipe_mode is None:
            return
        rgba = self.pipe_values.colours(self.pipe_mode.key, values, good)
        self.static.pipes.set_colours(rgba)

    def set_selected(self, index: int | None) -> None:
        """Ring one sensor (None clears the selection)."""
        self.sensors.select(index)

    @property
    def selected(self) -> int | None:
        """The ringed sensor, if any."""
        return self.sensors.selected

    def sensor_name(self, index: int) -> str:
        """Display name of a sensor, for tooltips."""
        s = self.city.sensors[index]
        return f"{s.name} ({s.id})"

    # --- picking --------------------------------------------------------------------------------

    def pick_sensor(self, x: float, y: float) -> int | None:
        """Sensor under display pixel (x, y), VTK convention (origin bottom-left), or None."""
        return self.sensors.pick(self.renderer, x, y)

    def sensor_display_position(self, index: int) -> tuple[float, float]:
        """Where a sensor's centre is drawn, in display pixels (origin bottom-left)."""
        return self.sensors.display_position(self.renderer, index)

    # --- camera ---------------------------------------------------------------------------------

    def _aspect(self) -> float:
        w, h = self.renderer.GetSize()
        return w / h if w > 0 and h > 0 else 16.0 / 9.0

    def apply_pose(self, pose: CameraPose) -> None:
        """Move the camera to a pose."""
        pose.apply(self.camera)
        self.renderer.ResetCameraClippingRange(*self._bounds)

    def current_pose(self) -> CameraPose:
        """The camera's pose now, the start of a fly-to."""
        return CameraPose.from_camera(self.camera)

    def camera_for_overview(self) -> CameraPose:
        """The whole district from the south-south-west, tilted so the underground shows."""
        b = self._bounds
        flat = (b[0], b[1], b[2], b[3], min(b[4], 0.0), max(min(b[5], 5.0), 0.0))
        return pose_fitting(
            flat,
            self.camera.GetViewAngle(),
            self._aspect(),
            OVERVIEW_HEADING,
            OVERVIEW_ELEVATION,
            1.04,
        )

    def camera_for_tunnel(self, tunnel_id: str) -> CameraPose:
        """A tunnel framed from the side nearer the current heading, looking across it."""
        tunnel = next((t for t in self.city.tunnels if t.id == tunnel_id), None)
        if tunnel is None:
            raise KeyError(f"no tunnel {tunnel_id!r}")
        pts = np.asarray(tunnel.centreline, dtype=np.float64)
        pad = tunnel.width
        lo, hi = pts.min(axis=0) - pad, pts.max(axis=0) + pad
        hi[2] += tunnel.height
        axis = pts[-1, :2] - pts[0, :2]
        along = math.degrees(math.atan2(axis[0], axis[1]))
        current = heading_of(self.current_pose())
        heading = min(
            (along + 90.0, along - 90.0),
            key=lambda h: abs((h - current + 180.0) % 360.0 - 180.0),
        )
        bounds = (lo[0], hi[0], lo[1], hi[1], lo[2], hi[2])
        return pose_fitting(bounds, self.camera.GetViewAngle(), self._aspect(), heading, 40.0, 1.05)

    def _asset_line(self, index: int) -> np.ndarray | None:
        """The centreline, pipe path or deck line the sensor sits on, if it is linear."""
        s = self.city.sensors[index]
        for t in self.city.tunnels:
            if s.asset == t.id or s.compartment in {c.id for c in t.compartments}:
                return np.asarray(t.centreline, dtype=float)
        for p in self.city.pipelines:
            if s.asset == p.id:
                return np.asarray(p.path, dtype=float)
        for b in self.city.bridges:
            if s.asset == b.id:
                return np.asarray([b.start, b.end], dtype=float)
        return None

    def camera_for_sensor(self, index: int, distance: float | None = None) -> CameraPose:
        """Close view of one sensor, oblique to its tunnel/pipe, turning as little as possible."""
        target: Vec3 = tuple(map(float, self.sensors.positions[index]))  # type: ignore[assignment]
        dist = distance if distance is not None else FOCUS_DISTANCE
        heading = heading_of(self.current_pose())
        line = self._asset_line(index)
        if line is not None and len(line) >= 2:
            axis = polyline_heading(line, self.sensors.positions[index])
            heading = oblique_heading(axis, heading)
        return pose_looking_at(target, dist, heading, FOCUS_ELEVATION)

    def overview(self) -> None:
        """Show the whole district."""
        self.apply_pose(self.camera_for_overview())

    def focus_tunnel(self, tunnel_id: str) -> None:
        """Frame one tunnel."""
        self.apply_pose(self.camera_for_tunnel(tunnel_id))

    def focus_sensor(self, index: int, distance: float | None = None) -> Vec3:
        """Jump to one sensor; returns the camera target (the sensor's position)."""
        pose = self.camera_for_sensor(index, distance)
        self.apply_pose(pose)
        return pose.focal_point


def read_pixels(window: vtkRenderWindow, rerender: bool = True) -> np.ndarray:
    """The window's frame as an (h, w, 3) uint8 array, row 0 at the top (image order).

    Reads VTK's own buffer: a Qt grab of a VTK widget shows black.
    """
    grab = vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.SetInputBufferTypeToRGB()
    grab.ReadFrontBufferOff()
    grab.SetShouldRerender(rerender)
    grab.Update()
    image = grab.GetOutput()
    w, h, _ = image.GetDimensions()
    flat = vtk_to_numpy(image.GetPointData().GetScalars())
    return np.ascontiguousarray(flat.reshape(h, w, -1)[::-1, :, :3])


def pixel_at(frame: np.ndarray, x: float, y: float) -> np.ndarray:
    """RGB of a read_pixels frame at VTK display coordinates (origin bottom-left)."""
    h = frame.shape[0]
    return frame[h - 1 - round(y), round(x)]
