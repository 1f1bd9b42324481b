"""Polyline helpers shared by the city generator and the scenarios: chainage, cuts, offsets."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Points = Sequence[Sequence[float]] | np.ndarray


def chainage(points: Points) -> np.ndarray:
    """Cumulative plan (x, y) length at each vertex; the first vertex is at 0."""
    p = np.asarray(points, dtype=float)
    steps = np.hypot(np.diff(p[:, 0]), np.diff(p[:, 1]))
    return np.concatenate([[0.0], np.cumsum(steps)])


def length(points: Points) -> float:
    """Plan length of a polyline in metres."""
    return float(chainage(points)[-1])


def point_at(points: Points, s: float | np.ndarray) -> np.ndarray:
    """Point(s) at chainage s, interpolating every coordinate (z too) along the plan length."""
    p = np.asarray(points, dtype=float)
    c = chainage(p)
    s_arr = np.clip(np.asarray(s, dtype=float), 0.0, c[-1])
    out = np.stack([np.interp(s_arr, c, p[:, k]) for k in range(p.shape[1])], axis=-1)
    return out


def direction_at(points: Points, s: float | np.ndarray) -> np.ndarray:
    """Unit plan direction (dx, dy) of the segment that holds chainage s."""
    p = np.asarray(points, dtype=float)
    c = chainage(p)
    seg = np.clip(np.searchsorted(c, np.asarray(s, dtype=float), side="right") - 1, 0, len(p) - 2)
    d = p[seg + 1, :2] - p[seg, :2]
    return d / np.linalg.norm(d, axis=-1, keepdims=True)


def left_normal(direction: np.ndarray) -> np.ndarray:
    """The plan normal pointing to the left of a direction of travel."""
    return np.stack([-direction[..., 1], direction[..., 0]], axis=-1)


def cut(points: Points, s0: float, s1: float) -> np.ndarray:
    """The part of a polyline between chainages s0 < s1; a short one is extended straight."""
    p = np.asarray(points, dtype=float).copy()
    c = chainage(p)
    if s1 > c[-1]:
        p[-1, :2] += direction_at(p, c[-1]) * (s1 - c[-1])
        c = chainage(p)
    inner = p[(c > s0) & (c < s1)]
    return np.vstack([point_at(p, s0), inner, point_at(p, s1)])


def offset(points: Points, distance: float) -> np.ndarray:
    """The polyline shifted sideways by distance (positive = left), mitred at the vertices."""
    p = np.asarray(points, dtype=float)
    d = np.diff(p[:, :2], axis=0)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    n = left_normal(d)
    vertex_n = np.vstack([n[:1], n[:-1] + n[1:], n[-1:]])
    vertex_n /= np.linalg.norm(vertex_n, axis=1, keepdims=True)
    cos_half = np.vstack([[1.0], np.sum(n[:-1] * vertex_n[1:-1], axis=1, keepdims=True), [1.0]])
    out = p.copy()
    out[:, :2] += vertex_n * (distance / np.maximum(cos_half, 0.2))
    return out


def section_point(
    centreline: Points, width: float, s: float, across: float, up: float
) -> tuple[float, float, float]:
    """A point in a tunnel: chainage s, `across` metres from the left wall, `up` above the floor.

    The left wall is on the left when walking in the direction of increasing chainage.
    """
    base = point_at(centreline, s)
    n = left_normal(direction_at(centreline, s))
    xy = base[:2] + n * (width / 2.0 - across)
    return (float(xy[0]), float(xy[1]), float(base[2] + up))


def distance_along(points: Points, xy: Sequence[float]) -> float:
    """Chainage of the polyline point nearest to xy."""
    p = np.asarray(points, dtype=float)[:, :2]
    q = np.asarray(xy, dtype=float)[:2]
    a, b = p[:-1], p[1:]
    ab = b - a
    t = np.clip(np.sum((q - a) * ab, axis=1) / np.maximum(np.sum(ab * ab, axis=1), 1e-12), 0, 1)
    nearest = a + ab * t[:, None]
    k = int(np.argmin(np.hypot(*(nearest - q).T)))
    return float(chainage(p)[k] + t[k] * np.hypot(*ab[k]))
