"""Camera poses for the city scene: presets, framing and smooth interpolation; no Qt.

Poses are plain values so the Qt view can animate between them with a timer and tests can
check them without rendering.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkRenderingCore import vtkCamera

Vec3 = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class CameraPose:
    """Where the camera is, what it looks at and which way is up."""

    position: Vec3
    focal_point: Vec3
    view_up: Vec3

    @classmethod
    def from_camera(cls, camera: vtkCamera) -> CameraPose:
        """Snapshot a VTK camera, e.g. as the start of a fly-to."""
        return cls(
            tuple(camera.GetPosition()),  # type: ignore[arg-type]
            tuple(camera.GetFocalPoint()),  # type: ignore[arg-type]
            tuple(camera.GetViewUp()),  # type: ignore[arg-type]
        )

    def apply(self, camera: vtkCamera) -> None:
        """Put a VTK camera in this pose."""
        camera.SetFocalPoint(*self.focal_point)
        camera.SetPosition(*self.position)
        camera.SetViewUp(*self.view_up)
        camera.OrthogonalizeViewUp()

    @property
    def distance(self) -> float:
        """Camera to focal point, metres."""
        return float(np.linalg.norm(np.subtract(self.position, self.focal_point)))


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


def _up_for(forward: np.ndarray) -> Vec3:
    """World z projected orthogonal to the view direction: keeps the horizon level."""
    z = np.array([0.0, 0.0, 1.0])
    up = z - forward * float(np.dot(z, forward))
    if np.linalg.norm(up) < 1e-6:  # looking straight down: north is up
        up = np.array([0.0, 1.0, 0.0])
    return tuple(_unit(up))  # type: ignore[return-value]


def heading_of(pose: CameraPose) -> float:
    """Compass heading the camera looks towards, degrees (0 = north, 90 = east)."""
    d = np.subtract(pose.focal_point, pose.position)
    if math.hypot(d[0], d[1]) < 1e-9:
        up = pose.view_up
        return math.degrees(math.atan2(up[0], up[1]))
    return math.degrees(math.atan2(d[0], d[1]))


def pose_looking_at(target: Vec3, distance: float, heading: float, elevation: float) -> CameraPose:
    """Camera looking towards `heading` (degrees from north), pitched down by `elevation`."""
    h, e = math.radians(heading), math.radians(elevation)
    forward = np.array([math.sin(h) * math.cos(e), math.cos(h) * math.cos(e), -math.sin(e)])
    position = np.asarray(target, dtype=float) - forward * distance
    return CameraPose(tuple(position), tuple(map(float, target)), _up_for(forward))  # type: ignore[arg-type]


def pose_fitting(
    bounds: tuple[float, float, float, float, float, float],
    view_angle: float,
    aspect: float,
    heading: float,
    elevation: float,
    margin: float = 1.05,
) -> CameraPose:
    """A pose that frames an axis-aligned box (xmin, xmax, ymin, ymax, zmin, zmax) tightly.

    Solves, per box corner, the distance at which it enters the frustum, so a flat district
    seen at an angle fills the view instead of a bounding sphere's worth of it.
    """
    b = np.asarray(bounds, dtype=float).reshape(3, 2)
    centre = b.mean(axis=1)
    probe = pose_looking_at(tuple(centre), 1.0, heading, elevation)  # type: ignore[arg-type]
    forward = _unit(np.subtract(probe.focal_point, probe.position))
    up = np.asarray(probe.view_up)
    right = np.cross(forward, up)
    corners = np.array(np.meshgrid(b[0], b[1], b[2], indexing="ij")).reshape(3, -1).T - centre
    tan_v = math.tan(math.radians(view_angle) / 2.0) / margin
    tan_h = tan_v * (aspect if aspect > 0 else 1.0)
    a_f = corners @ forward
    need = np.maximum(np.abs(corners @ up) / tan_v, np.abs(corners @ right) / tan_h) - a_f
    dist = max(float(need.max()), 1.0)
    return pose_looking_at(tuple(centre), dist, heading, elevation)  # type: ignore[arg-type]


def oblique_heading(axis_heading: float, current: float) -> float:
    """Of the four headings 45 degrees off a linear asset's axis, the one nearest `current`.

    Looking along a tunnel stacks its compartments; looking square across flattens it.
    """
    options = [axis_heading + a for a in (45.0, 135.0, 225.0, 315.0)]
    return min(options, key=lambda h: abs((h - current + 180.0) % 360.0 - 180.0)) % 360.0


def polyline_heading(points: np.ndarray, near: np.ndarray) -> float:
    """Compass heading of the polyline segment nearest to a point (xy only)."""
    p = np.asarray(points, dtype=float)[:, :2]
    a, b = p[:-1], p[1:]
    ab = b - a
    t = np.clip(
        np.einsum("ij,ij->i", np.asarray(near[:2]) - a, ab) / np.maximum((ab**2).sum(1), 1e-12),
        0,
        1,
    )
    closest = a + ab * t[:, None]
    k = int(np.argmin(np.linalg.norm(closest - near[:2], axis=1)))
    return math.degrees(math.atan2(ab[k, 0], ab[k, 1]))


def ease(t: float) -> float:
    """Smoothstep easing: a fly-to starts and lands gently."""
    t = min(max(t, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def _slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    dot = float(np.clip(np.dot(a, b), -1.0, 1.0))
    omega = math.acos(dot)
    if omega < 1e-6:
        return _unit(a + (b - a) * t)
    s = math.sin(omega)
    return (math.sin((1 - t) * omega) * a + math.sin(t * omega) * b) / s


def interpolate(a: CameraPose, b: CameraPose, t: float) -> CameraPose:
    """Pose between a and b: focal point straight, distance geometric, direction on the sphere.

    A straight line between camera positions would dive through the ground when the target
    is far away; moving the focal point while scaling the distance keeps the view sensible.
    """
    t = min(max(t, 0.0), 1.0)
    fa, fb = np.asarray(a.focal_point, float), np.asarray(b.focal_point, float)
    da, db = max(a.distance, 1e-6), max(b.distance, 1e-6)
    dir_a = _unit(np.subtract(a.position, a.focal_point))
    dir_b = _unit(np.subtract(b.position, b.focal_point))
    focal = fa + (fb - fa) * t
    dist = da * (db / da) ** t
    direction = _unit(_slerp(dir_a, dir_b, t))
    up = np.asarray(a.view_up, float) * (1 - t) + np.asarray(b.view_up, float) * t
    up = up - direction * float(np.dot(up, direction))
    if np.linalg.norm(up) < 1e-6:
        up = np.asarray(_up_for(-direction))
    return CameraPose(
        tuple(focal + direction * dist),  # type: ignore[arg-type]
        tuple(focal),  # type: ignore[arg-type]
        tuple(_unit(up)),  # type: ignore[arg-type]
    )


# --- mouse interaction: the camera moves VTK's trackball style, in plain functions ------------

DEGREES_PER_VIEW = 200.0  # a drag across the whole view turns this much (VTK's trackball)
ZOOM_PER_WHEEL_STEP = 1.1


def orbit(camera: vtkCamera, dx_px: float, dy_px: float, width_px: int, height_px: int) -> None:
    """Turn about the focal point by a drag of (dx, dy) display pixels (y up)."""
    camera.Azimuth(-dx_px * DEGREES_PER_VIEW / max(width_px, 1))
    camera.Elevation(-dy_px * DEGREES_PER_VIEW / max(height_px, 1))
    camera.OrthogonalizeViewUp()


def pan(camera: vtkCamera, dx_px: float, dy_px: float, px_per_m: float) -> None:
    """Slide camera and focal point so the ground under the pointer follows it."""
    direction = np.array(camera.GetDirectionOfProjection())
    up = np.array(camera.GetViewUp())
    right = np.cross(direction, up)
    shift = (-dx_px * right - dy_px * up) / max(px_per_m, 1e-12)
    camera.SetFocalPoint(*(np.array(camera.GetFocalPoint()) + shift))
    camera.SetPosition(*(np.array(camera.GetPosition()) + shift))


def zoom(camera: vtkCamera, factor: float) -> None:
    """Move towards the focal point (factor > 1) or away from it."""
    if camera.GetParallelProjection():
        camera.SetParallelScale(camera.GetParallelScale() / factor)
    else:
        camera.Dolly(factor)
