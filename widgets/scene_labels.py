"""Names in the 3D scene that never pile up: districts when zoomed out, assets when closer.

A label is a candidate only while its object spans enough pixels to be worth naming; the
candidates are then placed greedily by priority on an occupancy grid, so at the scale-100
overview a few dozen district names show instead of hundreds of overlapping asset names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkCommonCore import vtkIntArray, vtkStringArray
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor2D, vtkRenderer, vtkTextProperty
from vtkmodules.vtkRenderingLabel import vtkLabelPlacementMapper, vtkPointSetToLabelHierarchy

from backend_client.city import City

from .scene_fonts import text_width_em, use_font_for
from .scene_geometry import make_polydata, tunnel_label_anchor
from .scene_sensors import project_to_display
from .scene_style import current, type_scale, unit_rgb

AREA, TUNNEL, BRIDGE, DISTRICT = 0, 1, 2, 3
# An object is named once it spans this many pixels on screen; a district (areas sharing a
# name prefix, like a tiled city's "D07 ...") only until its areas get their own names.
MIN_SPAN_PX = {AREA: 55.0, TUNNEL: 150.0, BRIDGE: 25.0, DISTRICT: 30.0}
MAX_SPAN_PX = {AREA: np.inf, TUNNEL: np.inf, BRIDGE: np.inf, DISTRICT: 110.0}
PRIORITY = {AREA: 1, TUNNEL: 3, BRIDGE: 2, DISTRICT: 0}
GRID_PX = 4  # occupancy grid cell
PAD_PX = 6  # free space kept around every label
PX2_PER_LABEL = 12000.0  # at most one label per this much screen area


@dataclass(slots=True)
class LabelCandidates:
    """Every nameable object: anchor, text, kind and its size in metres."""

    anchors: np.ndarray  # (n, 3)
    texts: list[str]
    kinds: np.ndarray  # (n,) AREA / TUNNEL / BRIDGE
    spans: np.ndarray  # (n,) metres

    @classmethod
    def from_city(cls, city: City) -> LabelCandidates:
        """Areas at their centroid on the ground, tunnels above mid-chainage, bridges mid-deck."""
        anchors: list[tuple[float, float, float]] = []
        texts: list[str] = []
        kinds: list[int] = []
        spans: list[float] = []
        for a in city.areas:
            poly = np.asarray(a.polygon, dtype=np.float64)
            x, y = poly[:, 0], poly[:, 1]
            area = 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))
            anchors.append((float(x.mean()), float(y.mean()), 0.5))
            texts.append(a.name)
            kinds.append(AREA)
            spans.append(float(np.sqrt(area)))
        for text, members in district_groups([a.name for a in city.areas]).items():
            centre = np.array([anchors[i] for i in members]).mean(axis=0)
            anchors.append((float(centre[0]), float(centre[1]), 0.5))
            texts.append(text)
            kinds.append(DISTRICT)
            spans.append(float(np.sqrt(sum(spans[i] ** 2 for i in members))))
        for t in city.tunnels:
            pts = np.asarray(t.centreline, dtype=np.float64)
            anchors.append(tunnel_label_anchor(t))
            texts.append(t.name)
            kinds.append(TUNNEL)
            spans.append(float(np.linalg.norm(np.diff(pts[:, :2], axis=0), axis=1).sum()))
        for b in city.bridges:
            mid = ((b.start[0] + b.end[0]) / 2, (b.start[1] + b.end[1]) / 2, b.deck_height + 3)
            anchors.append(mid)
            texts.append(b.name)
            kinds.append(BRIDGE)
            spans.append(float(np.hypot(b.end[0] - b.start[0], b.end[1] - b.start[1])))
        return cls(
            np.array(anchors, dtype=np.float64).reshape(-1, 3),
            texts,
            np.array(kinds, dtype=np.int64),
            np.array(spans, dtype=np.float64),
        )


def district_groups(area_names: Sequence[str]) -> dict[str, list[int]]:
    """Areas grouped by a shared first word ("D07 Old Town", "D07 Riverside" -> "D07").

    Only when every area has a prefix shared with others: a tiled city, not a plain one.
    """
    heads = [n.split(" ", 1)[0] if " " in n else "" for n in area_names]
    groups: dict[str, list[int]] = {}
    for i, head in enumerate(heads):
        groups.setdefault(head, []).append(i)
    if "" in groups or len(groups) < 2 or any(len(m) < 2 for m in groups.values()):
        return {}
    return groups


def place_labels(
    xy: np.ndarray,
    sizes: np.ndarray,
    order: np.ndarray,
    viewport: tuple[int, int],
    pad: float = PAD_PX,
    limit: int | None = None,
) -> list[int]:
    """Greedy placement: in `order`, keep each label whose padded box is still free on screen.

    xy: anchors in display pixels (label drawn right of and above its anchor); sizes: (w, h).
    """
    w, h = viewport
    limit = limit if limit is not None else max(int(w * h / PX2_PER_LABEL), 1)
    gw, gh = w // GRID_PX + 1, h // GRID_PX + 1
    taken = np.zeros((gh, gw), dtype=bool)
    kept: list[int] = []
    for i in order:
        x0, y0 = xy[i]
        bw, bh = sizes[i]
        if x0 < 0 or y0 < 0 or x0 + bw > w or y0 + bh > h:
            continue
        c0, c1 = int((x0 - pad) // GRID_PX), int((x0 + bw + pad) // GRID_PX) + 1
        r0, r1 = int((y0 - pad) // GRID_PX), int((y0 + bh + pad) // GRID_PX) + 1
        c0, r0 = max(c0, 0), max(r0, 0)
        if taken[r0:r1, c0:c1].any():
            continue
        taken[r0:r1, c0:c1] = True
        kept.append(int(i))
        if len(kept) >= limit:
            break
    return kept


def _label_actor(
    font_size: int, colour: str, bold: bool, boxed: bool
) -> tuple[vtkPolyData, vtkActor2D, vtkTextProperty]:
    """An empty label set and the actor drawing it, in one text style."""
    data = vtkPolyData()
    hierarchy = vtkPointSetToLabelHierarchy()
    hierarchy.SetInputData(data)
    hierarchy.SetLabelArrayName("label")
    hierarchy.SetPriorityArrayName("priority")
    tp = hierarchy.GetTextProperty()
    tp.SetFontSize(font_size)
    tp.SetColor(unit_rgb(colour))
    tp.SetBold(bold)
    tp.ShadowOn()
    if boxed:
        tp.SetJustificationToLeft()  # the mapper's background box assumes left-justified text
    else:
        tp.SetJustificationToCentered()  # a district's name sits on its middle
        tp.SetVerticalJustificationToCentered()
    mapper = vtkLabelPlacementMapper()
    mapper.SetInputConnection(hierarchy.GetOutputPort())
    mapper.UseDepthBufferOff()
    mapper.SetMaximumLabelFraction(0.5)  # place_labels already keeps them apart
    if boxed:
        mapper.SetShapeToRoundedRect()
        mapper.SetBackgroundColor(unit_rgb(current().label_background))
        mapper.SetBackgroundOpacity(0.65)
        mapper.SetMargin(3)
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.PickableOff()
    actor.VisibilityOff()
    return data, actor, tp


class LabelLayer:
    """District names (large, quiet) and asset names (boxed), chosen per camera."""

    AREA_FONT = 17
    ASSET_FONT = 14

    def __init__(self, city: City) -> None:
        self.candidates = LabelCandidates.from_city(city)
        self._area_data, self.areas, area_tp = _label_actor(
            self.AREA_FONT, current().area_label, False, False
        )
        self._asset_data, self.assets, asset_tp = _label_actor(
            self.ASSET_FONT, current().label, True, True
        )
        self._fonts = ((area_tp, self.AREA_FONT), (asset_tp, self.ASSET_FONT))
        c = self.candidates
        self._quiet = (c.kinds == AREA) | (c.kinds == DISTRICT)
        use_font_for(area_tp, [t for t, q in zip(c.texts, self._quiet, strict=True) if q])
        use_font_for(asset_tp, [t for t, q in zip(c.texts, self._quiet, strict=True) if not q])
        self._ems = np.array([text_width_em(t) for t in c.texts], dtype=np.float64)
        self._scale = 0.0
        self._set_scale(1.0)
        prio = np.array([PRIORITY[int(k)] for k in c.kinds], dtype=np.float64)
        # by priority, then the bigger object first: a long trunk tunnel before a spur
        self._rank = prio * 1e9 + c.spans
        self._min_span = np.array([MIN_SPAN_PX[int(k)] for k in c.kinds], dtype=np.float64)
        self._max_span = np.array([MAX_SPAN_PX[int(k)] for k in c.kinds], dtype=np.float64)
        self._key: tuple | None = None
        self.shown: list[int] = []

    @property
    def actors(self) -> tuple[vtkActor2D, vtkActor2D]:
        """Area and asset label actors, for adding to a renderer."""
        return (self.areas, self.assets)

    def _set_scale(self, scale: float) -> None:
        """Type sizes for the window (a wall screen reads from across the room)."""
        if scale == self._scale:
            return
        self._scale = scale
        for tp, base in self._fonts:
            tp.SetFontSize(round(base * scale))
        base = np.where(self._quiet, self.AREA_FONT, self.ASSET_FONT).astype(np.float64)
        font = np.round(base * scale)
        self._sizes = np.stack([self._ems * font + 8.0, font * 1.5 + 6.0], axis=1)
        # where a label's box starts relative to its anchor: quiet names are centred on it
        self._offset = np.where(self._quiet[:, None], -self._sizes / 2.0, 0.0)

    def update(self, renderer: vtkRenderer) -> None:
        """Choose and place the labels for the renderer's camera (cached until it moves)."""
        cam = renderer.GetActiveCamera()
        w, h = renderer.GetSize()
        key = (cam.GetMTime(), w, h)
        if key == self._key or w <= 0 or h <= 0:
            return
        self._key = key
        self._set_scale(type_scale(h))
        c = self.candidates
        if not len(c.texts):
            return
        xy, _depth, px_per_m, visible = project_to_display(renderer, c.anchors)
        ox, oy = renderer.GetOrigin()
        xy = xy - (ox, oy) + self._offset
        span_px = c.spans * px_per_m
        ok = visible & (span_px >= self._min_span) & (span_px <= self._max_span)
        order = np.flatnonzero(ok)
        order = order[np.argsort(-self._rank[order], kind="stable")]
        self.shown = place_labels(xy, self._sizes, order, (w, h))
        for kind_is_area, data, actor in (
            (True, self._area_data, self.areas),
            (False, self._asset_data, self.assets),
        ):
            idx = [i for i in self.shown if self._quiet[i] == kind_is_area]
            _fill(data, c.anchors[idx], [c.texts[i] for i in idx], self._rank[idx])
            actor.SetVisibility(bool(idx))

    def shown_texts(self) -> list[str]:
        """The names placed for the last camera, for tests."""
        return [self.candidates.texts[i] for i in self.shown]


def _fill(data: vtkPolyData, points: np.ndarray, texts: Sequence[str], rank: np.ndarray) -> None:
    """Replace a label set's points, texts and priorities."""
    pd = make_polydata(np.asarray(points, dtype=np.float64).reshape(-1, 3))
    names = vtkStringArray()
    names.SetName("label")
    prio = vtkIntArray()
    prio.SetName("priority")
    order = np.argsort(np.argsort(rank)) if len(rank) else np.zeros(0, np.int64)
    for text, p in zip(texts, order, strict=True):
        names.InsertNextValue(text)
        prio.InsertNextValue(int(p))
    pd.GetPointData().AddArray(names)
    pd.GetPointData().AddArray(prio)
    data.ShallowCopy(pd)
    data.Modified()
