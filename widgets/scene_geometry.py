"""Vectorised numpy geometry for the city scene: tunnels, pipes, bridges, ground; no Qt.

Every builder returns vtkPolyData made from whole numpy arrays (no per-point Python loops),
so a district with kilometres of tunnel builds in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, numpy_to_vtkIdTypeArray
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData

from backend_client.city import Area, Bridge, Pipeline, Tunnel

from .scene_style import current, hex_rgb, lighter

FIRE_RING_MARGIN = 0.25  # metres outside the tunnel walls, so rings show through translucency
COMPARTMENT_INSET = 0.12  # metres: neighbouring compartments keep a visible seam
DECK_THICKNESS = 1.6
PIER_SPACING = 40.0
PIER_SIZE = 2.0


# --- polydata plumbing --------------------------------------------------------------------------


def cell_array(connectivity: np.ndarray, offsets: np.ndarray) -> vtkCellArray:
    """A vtkCellArray from flat connectivity and n+1 offsets (VTK 9's native layout)."""
    cells = vtkCellArray()
    cells.SetData(
        numpy_to_vtkIdTypeArray(np.ascontiguousarray(offsets, dtype=np.int64), deep=True),
        numpy_to_vtkIdTypeArray(np.ascontiguousarray(connectivity, dtype=np.int64), deep=True),
    )
    return cells


def regular_cells(cells: np.ndarray) -> vtkCellArray:
    """Cells that all have the same number of points, given as an (m, k) index array."""
    cells = np.asarray(cells, dtype=np.int64)
    m, k = cells.shape if cells.size else (0, 1)
    return cell_array(cells.reshape(-1), np.arange(m + 1, dtype=np.int64) * k)


def polyline_cells(lengths: Sequence[int] | np.ndarray) -> vtkCellArray:
    """Consecutive polylines over the point list, one per given length."""
    lengths = np.asarray(lengths, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    return cell_array(np.arange(offsets[-1], dtype=np.int64), offsets)


def make_polydata(
    points: np.ndarray,
    polys: vtkCellArray | None = None,
    lines: vtkCellArray | None = None,
    cell_rgb: np.ndarray | None = None,
) -> vtkPolyData:
    """Wrap numpy points and ready cell arrays; optional uint8 RGB per cell as active scalars."""
    pts = vtkPoints()
    pts.SetData(numpy_to_vtk(np.ascontiguousarray(points, dtype=np.float64), deep=True))
    pd = vtkPolyData()
    pd.SetPoints(pts)
    if polys is not None:
        pd.SetPolys(polys)
    if lines is not None:
        pd.SetLines(lines)
    if cell_rgb is not None:
        arr = numpy_to_vtk(np.ascontiguousarray(cell_rgb, dtype=np.uint8), deep=True)
        arr.SetName("rgb")
        pd.GetCellData().SetScalars(arr)
    return pd


def empty_polydata() -> vtkPolyData:
    """A valid polydata with no cells, so mappers need no special case for empty cities."""
    return make_polydata(np.zeros((0, 3)))


# --- centrelines --------------------------------------------------------------------------------


def centreline_frame(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mitred left-offset vectors per vertex and the chainage: sweeping a section needs both.

    The offset vector is horizontal, points to the left of travel and is stretched by the
    miter factor so walls stay parallel at bends.
    """
    p = np.asarray(points, dtype=np.float64)
    seg = p[1:, :2] - p[:-1, :2]
    seg_len = np.linalg.norm(seg, axis=1)
    seg_dir = seg / np.maximum(seg_len, 1e-9)[:, None]
    tangent = np.empty((len(p), 2))
    tangent[0], tangent[-1] = seg_dir[0], seg_dir[-1]
    tangent[1:-1] = seg_dir[:-1] + seg_dir[1:]
    tangent /= np.maximum(np.linalg.norm(tangent, axis=1), 1e-9)[:, None]
    left = np.stack([-tangent[:, 1], tangent[:, 0]], axis=1)
    seg_left = np.stack([-seg_dir[:, 1], seg_dir[:, 0]], axis=1)
    ref = np.vstack([seg_left[:1], seg_left])  # each vertex against its incoming segment
    miter = 1.0 / np.clip(np.einsum("ij,ij->i", left, ref), 0.35, 1.0)
    offset = np.zeros((len(p), 3))
    offset[:, :2] = left * miter[:, None]
    chainage = np.concatenate([[0.0], np.cumsum(np.linalg.norm(p[1:] - p[:-1], axis=1))])
    return offset, chainage


def sweep_section(
    centre: np.ndarray, offset: np.ndarray, across: np.ndarray, up: np.ndarray
) -> np.ndarray:
    """Section corners (k given by across/up pairs) placed at every centreline vertex: (n, k, 3)."""
    out = centre[:, None, :] + offset[:, None, :] * across[None, :, None]
    out[:, :, 2] += up[None, :]
    return out


def _lateral(tunnel: Tunnel, s: np.ndarray | float) -> np.ndarray | float:
    """Offset from the centreline (positive = left) of a point s metres from the left wall."""
    return tunnel.width / 2.0 - np.asarray(s)


def point_at_chainage(
    centre: np.ndarray, offset: np.ndarray, chainage: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Interpolated centreline points and left vectors at the given chainages."""
    pos = np.stack([np.interp(at, chainage, centre[:, i]) for i in range(3)], axis=1)
    off = np.stack([np.interp(at, chainage, offset[:, i]) for i in range(3)], axis=1)
    off /= np.maximum(np.linalg.norm(off, axis=1), 1e-9)[:, None]
    return pos, off


# --- tunnels ------------------------------------------------------------------------------------


def _box_tube_cells(n_rings: int, base: int, open_top: bool = False) -> np.ndarray:
    """Quads of a swept 4-corner section plus both end caps, indices offset by base.

    open_top leaves out the side from corner 2 to 3 (the roof): a cutaway tray.
    """
    i = np.arange(n_rings - 1)[:, None]
    j = np.array([0, 1, 3] if open_top else [0, 1, 2, 3])[None, :]
    jn = (j + 1) % 4
    quads = np.stack([i * 4 + j, i * 4 + jn, (i + 1) * 4 + jn, (i + 1) * 4 + j], axis=-1)
    quads = quads.reshape(-1, 4)
    last = (n_rings - 1) * 4
    caps = np.array([[3, 2, 1, 0], [last, last + 1, last + 2, last + 3]])
    return np.vstack([quads, caps]) + base


def tunnel_geometry(
    tunnels: Sequence[Tunnel], cutaway: bool = False
) -> tuple[vtkPolyData, vtkPolyData, vtkPolyData]:
    """(compartment faces, compartment edges, fire-zone rings) for all tunnels.

    Each compartment is its true section, x0..x1 across and full height, swept along the
    centreline and inset slightly so neighbours stay visibly separate. cutaway cuts every
    compartment at mid-height and leaves its roof off, so each floor and its sensors show.
    """
    face_pts: list[np.ndarray] = []
    face_cells: list[np.ndarray] = []
    face_rgb: list[np.ndarray] = []
    edge_pts: list[np.ndarray] = []
    edge_rgb: list[np.ndarray] = []
    edge_len: list[int] = []
    ring_pts: list[np.ndarray] = []
    ring_len: list[int] = []
    n_face_pts = 0
    compartments = current().compartment_hex  # the theme's colour per compartment kind
    for t in tunnels:
        centre = np.asarray(t.centreline, dtype=np.float64)
        offset, chainage = centreline_frame(centre)
        n = len(centre)
        for c in t.compartments:
            inset = min(COMPARTMENT_INSET, (c.x1 - c.x0) / 4.0)
            s0, s1 = c.x0 + inset, c.x1 - inset
            across = _lateral(t, np.array([s0, s1, s1, s0]))
            top = t.height / 2.0 if cutaway else t.height - inset
            up = np.array([inset, inset, top, top])
            corners = sweep_section(centre, offset, across, up)  # (n, 4, 3)
            face_pts.append(corners.reshape(-1, 3))
            cells = _box_tube_cells(n, n_face_pts, open_top=cutaway)
            face_cells.append(cells)
            rgb = hex_rgb(compartments.get(c.kind, compartments["combined"]))
            face_rgb.append(np.tile(np.array(rgb, dtype=np.uint8), (len(cells), 1)))
            n_face_pts += n * 4
            # Four longitudinal edges plus the two end outlines, brighter than the faces.
            edge_pts.append(corners.transpose(1, 0, 2).reshape(-1, 3))
            edge_pts.append(corners[[0, -1]][:, [0, 1, 2, 3, 0]].reshape(-1, 3))
            edge_len += [n] * 4 + [5, 5]
            edge_rgb.append(np.tile(np.array(lighter(rgb, 0.35), dtype=np.uint8), (6, 1)))
        bounds = sorted({z.start for z in t.fire_zones} | {z.end for z in t.fire_zones})
        at = np.array([b for b in bounds if 0.0 <= b <= chainage[-1]], dtype=np.float64)
        if at.size:
            pos, off = point_at_chainage(centre, offset, chainage, at)
            half = t.width / 2.0 + FIRE_RING_MARGIN
            across = np.array([half, -half, -half, half, half])
            up = np.array([-FIRE_RING_MARGIN, -FIRE_RING_MARGIN, t.height + FIRE_RING_MARGIN])
            up = np.concatenate([up, [t.height + FIRE_RING_MARGIN, -FIRE_RING_MARGIN]])
            rings = sweep_section(pos, off, across, up)
            ring_pts.append(rings.reshape(-1, 3))
            ring_len += [5] * len(at)
            walls = sorted({c.x0 for c in t.compartments} | {c.x1 for c in t.compartments})
            inner = [w for w in walls if 0.0 < w < t.width]
            if inner:
                lat = _lateral(t, np.repeat(np.array(inner), 2))
                z = np.tile([0.0, t.height], len(inner))
                ticks = sweep_section(pos, off, lat, z)
                ring_pts.append(ticks.reshape(-1, 3))
                ring_len += [2] * (len(inner) * len(at))
    faces = (
        make_polydata(
            np.vstack(face_pts),
            polys=regular_cells(np.vstack(face_cells)),
            cell_rgb=np.vstack(face_rgb),
        )
        if face_pts
        else empty_polydata()
    )
    edges = (
        make_polydata(
            np.vstack(edge_pts), lines=polyline_cells(edge_len), cell_rgb=np.vstack(edge_rgb)
        )
        if edge_pts
        else empty_polydata()
    )
    rings = (
        make_polydata(np.vstack(ring_pts), lines=polyline_cells(ring_len))
        if ring_pts
        else empty_polydata()
    )
    return faces, edges, rings


def tunnel_label_anchor(t: Tunnel) -> tuple[float, float, float]:
    """Where a tunnel's name goes: mid chainage, just above the roof."""
    centre = np.asarray(t.centreline, dtype=np.float64)
    offset, chainage = centreline_frame(centre)
    pos, _ = point_at_chainage(centre, offset, chainage, np.array([chainage[-1] / 2.0]))
    x, y, z = pos[0]
    return (float(x), float(y), float(z + t.height + 2.0))


# --- pipes, bridges, ground ---------------------------------------------------------------------


def pipe_polylines(pipes: Sequence[Pipeline], radii: Sequence[float]) -> vtkPolyData:
    """Polylines at axis depth with a per-point 'radius' scalar for vtkTubeFilter."""
    if not pipes:
        return empty_polydata()
    pts = np.vstack(
        [
            np.column_stack([np.asarray(p.path, dtype=np.float64), np.full(len(p.path), -p.depth)])
            for p in pipes
        ]
    )
    lengths = [len(p.path) for p in pipes]
    radius = np.repeat(np.asarray(radii, dtype=np.float64), lengths)
    pd = make_polydata(pts, lines=polyline_cells(lengths))
    arr = numpy_to_vtk(radius, deep=True)
    arr.SetName("radius")
    pd.GetPointData().SetScalars(arr)
    return pd


def _boxes(
    centre: np.ndarray, axis_u: np.ndarray, half: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Oriented boxes (m) with horizontal long axis u: points (8m, 3) and quads (6m, 4)."""
    m = len(centre)
    u = np.zeros((m, 3))
    u[:, :2] = axis_u
    v = np.stack([-u[:, 1], u[:, 0], np.zeros(m)], axis=1)
    w = np.tile([0.0, 0.0, 1.0], (m, 1))
    signs = np.array(
        [
            [-1, -1, -1],
            [1, -1, -1],
            [1, 1, -1],
            [-1, 1, -1],
            [-1, -1, 1],
            [1, -1, 1],
            [1, 1, 1],
            [-1, 1, 1],
        ],
        dtype=np.float64,
    )
    corners = (
        centre[:, None, :]
        + signs[None, :, 0:1] * (u * half[:, 0:1])[:, None, :]
        + signs[None, :, 1:2] * (v * half[:, 1:2])[:, None, :]
        + signs[None, :, 2:3] * (w * half[:, 2:3])[:, None, :]
    )
    faces = np.array(
        [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]]
    )
    quads = (faces[None, :, :] + 8 * np.arange(m)[:, None, None]).reshape(-1, 4)
    return corners.reshape(-1, 3), quads


def bridge_geometry(bridges: Sequence[Bridge]) -> vtkPolyData:
    """Decks as boxes at deck height on piers every ~40 m: enough to read as a bridge."""
    if not bridges:
        return empty_polydata()
    centres, axes, halves = [], [], []
    for b in bridges:
        a, e = np.asarray(b.start, dtype=np.float64), np.asarray(b.end, dtype=np.float64)
        length = max(float(np.linalg.norm(e - a)), 1e-6)
        u = (e - a) / length
        mid = (a + e) / 2.0
        centres.append([mid[0], mid[1], b.deck_height - DECK_THICKNESS / 2.0])
        axes.append(u)
        halves.append([length / 2.0, b.width / 2.0, DECK_THICKNESS / 2.0])
        n_piers = max(int(length // PIER_SPACING), 1)
        ts = (np.arange(n_piers) + 0.5) / n_piers
        pier_h = max(b.deck_height - DECK_THICKNESS, 0.0)
        if pier_h > 0:
            for tt in ts:
                p = a + (e - a) * tt
                centres.append([p[0], p[1], pier_h / 2.0])
                axes.append(u)
                halves.append([PIER_SIZE / 2.0, b.width / 2.5, pier_h / 2.0])
    pts, quads = _boxes(np.array(centres), np.array(axes), np.array(halves))
    return make_polydata(pts, polys=regular_cells(quads))


def nice_step(extent: float, target_lines: int = 16) -> float:
    """A 1-2-2.5-5 grid step giving about target_lines lines over the extent."""
    raw = max(extent, 1.0) / target_lines
    mag = 10 ** np.floor(np.log10(raw))
    for f in (1.0, 2.0, 2.5, 5.0, 10.0):
        if f * mag >= raw:
            return float(f * mag)
    return float(10 * mag)


def ground_geometry(
    bounds: tuple[float, float, float, float], step: float
) -> tuple[vtkPolyData, vtkPolyData]:
    """Ground quad at z=0 and its grid lines (lifted a hair to avoid z-fighting)."""
    xmin, ymin, xmax, ymax = bounds
    plane = make_polydata(
        np.array([[xmin, ymin, 0.0], [xmax, ymin, 0.0], [xmax, ymax, 0.0], [xmin, ymax, 0.0]]),
        polys=regular_cells(np.array([[0, 1, 2, 3]])),
    )
    xs = np.arange(np.ceil(xmin / step), np.floor(xmax / step) + 1) * step
    ys = np.arange(np.ceil(ymin / step), np.floor(ymax / step) + 1) * step
    z = 0.05
    vx = np.stack(
        [
            np.column_stack([xs, np.full_like(xs, ymin), np.full_like(xs, z)]),
            np.column_stack([xs, np.full_like(xs, ymax), np.full_like(xs, z)]),
        ],
        axis=1,
    )
    hy = np.stack(
        [
            np.column_stack([np.full_like(ys, xmin), ys, np.full_like(ys, z)]),
            np.column_stack([np.full_like(ys, xmax), ys, np.full_like(ys, z)]),
        ],
        axis=1,
    )
    seg = np.vstack([vx.reshape(-1, 3), hy.reshape(-1, 3)])
    grid = make_polydata(seg, lines=polyline_cells([2] * (len(seg) // 2)))
    return plane, grid


def area_outlines(areas: Sequence[Area]) -> vtkPolyData:
    """Closed outlines of the city's areas on the ground, for orientation."""
    rings = [np.asarray(a.polygon + a.polygon[:1], dtype=np.float64) for a in areas if a.polygon]
    if not rings:
        return empty_polydata()
    pts = np.vstack([np.column_stack([r, np.full(len(r), 0.1)]) for r in rings])
    return make_polydata(pts, lines=polyline_cells([len(r) for r in rings]))
