"""The parts of the city scene that never change after load: ground, tunnels, pipes, bridges.

Built once per city from the model; nothing here is touched by live data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkIntArray
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals, vtkTubeFilter
from vtkmodules.vtkFiltersGeneral import vtkTransformFilter
from vtkmodules.vtkFiltersSources import (
    vtkConeSource,
    vtkCubeSource,
    vtkCylinderSource,
    vtkSphereSource,
)
from vtkmodules.vtkRenderingCore import vtkActor, vtkActor2D, vtkGlyph3DMapper, vtkPolyDataMapper

from backend_client.city import NODE_KINDS, PIPE_DOMAINS, City

from .scene_geometry import (
    area_outlines,
    bridge_geometry,
    ground_geometry,
    make_polydata,
    nice_step,
    pipe_polylines,
    tunnel_geometry,
    tunnel_label_anchor,
)
from .scene_overlays import make_labels
from .scene_splats import SPLAT_ABOVE, splat_mapper
from .scene_style import (
    AREA_HEX,
    BRIDGE_HEX,
    COMPARTMENT_OPACITY,
    DOMAIN_HEX,
    FIRE_ZONE_HEX,
    GRID_HEX,
    GROUND_HEX,
    GROUND_OPACITY,
    NODE_HEX_DEFAULT,
    hex_rgb,
    unit_rgb,
)

IN_TUNNEL_MIN_RADIUS = 0.12


@dataclass(slots=True)
class SceneSizes:
    """World sizes that scale with the district so an overview stays legible."""

    extent: float  # diagonal of the city's bounds, metres
    sensor: float
    node: float
    pipe_min_radius: float
    margin: float

    @classmethod
    def for_city(cls, city: City) -> SceneSizes:
        """Sizes from the city's bounds; a 2 km district caps sensor glyphs at 20 m."""
        xmin, ymin, xmax, ymax = city.bounds()
        extent = float(np.hypot(xmax - xmin, ymax - ymin))
        sensor = float(np.clip(extent / 100.0, 8.0, 40.0))
        return cls(
            extent=extent,
            sensor=sensor,
            node=float(np.clip(extent / 800.0, 1.5, 4.0)),
            pipe_min_radius=0.25,
            margin=max(extent * 0.03, 30.0),
        )


@dataclass(slots=True)
class StaticLayers:
    """Actors of the unchanging scene, grouped by what they show."""

    ground: list[vtkActor] = field(default_factory=list)
    tunnels: list[vtkActor] = field(default_factory=list)
    pipes: dict[str, vtkActor] = field(default_factory=dict)
    pipe_lines: dict[str, vtkActor] = field(default_factory=dict)
    nodes: vtkActor | None = None
    bridges: vtkActor | None = None
    labels: vtkActor2D | None = None

    def actors(self) -> list[vtkActor]:
        """Every 3D actor, for adding to a renderer."""
        out = [*self.ground, *self.tunnels, *self.pipes.values(), *self.pipe_lines.values()]
        return out + [a for a in (self.nodes, self.bridges) if a is not None]


def _lines_actor(pd: object, rgb: str | None, opacity: float, width: float) -> vtkActor:
    """Unlit lines: grid, edges and rings should not shade with the view angle."""
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(pd)
    if rgb is None:
        mapper.SetScalarModeToUseCellData()
        mapper.SetColorModeToDirectScalars()
    else:
        mapper.ScalarVisibilityOff()
    actor = vtkActor()
    actor.SetMapper(mapper)
    prop = actor.GetProperty()
    if rgb is not None:
        prop.SetColor(unit_rgb(rgb))
    prop.SetOpacity(opacity)
    prop.SetLineWidth(width)
    prop.LightingOff()
    actor.PickableOff()
    return actor


def ground_bounds(city: City, margin: float) -> tuple[float, float, float, float]:
    """Everything drawn plus the areas' outlines, with a margin."""
    xmin, ymin, xmax, ymax = city.bounds()
    corners = np.array([xy for a in city.areas for xy in a.polygon] or [(xmin, ymin)], dtype=float)
    xmin, ymin = min(xmin, corners[:, 0].min()), min(ymin, corners[:, 1].min())
    xmax, ymax = max(xmax, corners[:, 0].max()), max(ymax, corners[:, 1].max())
    return (xmin - margin, ymin - margin, xmax + margin, ymax + margin)


def _ground(city: City, sizes: SceneSizes) -> list[vtkActor]:
    bounds = ground_bounds(city, sizes.margin)
    xmin, ymin, xmax, ymax = bounds
    plane, grid = ground_geometry(bounds, nice_step(max(xmax - xmin, ymax - ymin)))
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(plane)
    ground = vtkActor()
    ground.SetMapper(mapper)
    ground.GetProperty().SetColor(unit_rgb(GROUND_HEX))
    ground.GetProperty().SetOpacity(GROUND_OPACITY)
    ground.GetProperty().LightingOff()
    ground.PickableOff()
    return [
        ground,
        _lines_actor(grid, GRID_HEX, 0.55, 1.0),
        _lines_actor(area_outlines(city.areas), AREA_HEX, 0.8, 1.5),
    ]


def _tunnels(city: City) -> list[vtkActor]:
    faces, edges, rings = tunnel_geometry(city.tunnels)
    normals = vtkPolyDataNormals()
    normals.SetInputData(faces)
    normals.SetFeatureAngle(50.0)
    normals.SplittingOn()
    mapper = vtkPolyDataMapper()
    mapper.SetInputConnection(normals.GetOutputPort())
    mapper.SetScalarModeToUseCellData()
    mapper.SetColorModeToDirectScalars()
    shell = vtkActor()
    shell.SetMapper(mapper)
    prop = shell.GetProperty()
    prop.SetOpacity(COMPARTMENT_OPACITY)
    prop.SetAmbient(0.45)
    prop.SetDiffuse(0.6)
    shell.PickableOff()
    return [
        shell,
        _lines_actor(edges, None, 0.95, 1.6),
        _lines_actor(rings, FIRE_ZONE_HEX, 0.75, 1.4),
    ]


def _pipes(city: City, sizes: SceneSizes) -> tuple[dict[str, vtkActor], dict[str, vtkActor]]:
    """Per domain, one tube actor and one line actor over the same polydata.

    Tubes are true to size (floored), right for close-ups; the 2 px lines keep every pipe
    visible in the overview, where a tube is far thinner than a pixel.
    """
    tubes_out: dict[str, vtkActor] = {}
    lines_out: dict[str, vtkActor] = {}
    for domain in PIPE_DOMAINS:
        pipes = [p for p in city.pipelines if p.domain == domain]
        if not pipes:
            continue
        radii = [
            max(p.diameter / 2.0, IN_TUNNEL_MIN_RADIUS if p.tunnel else sizes.pipe_min_radius)
            for p in pipes
        ]
        polylines = pipe_polylines(pipes, radii)
        tubes = vtkTubeFilter()
        tubes.SetInputData(polylines)
        tubes.SetVaryRadiusToVaryRadiusByAbsoluteScalar()
        tubes.SetNumberOfSides(10)
        tubes.CappingOn()
        mapper = vtkPolyDataMapper()
        mapper.SetInputConnection(tubes.GetOutputPort())
        mapper.ScalarVisibilityOff()
        actor = vtkActor()
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetColor(unit_rgb(DOMAIN_HEX[domain]))
        prop.SetAmbient(0.3)
        prop.SetDiffuse(0.75)
        prop.SetSpecular(0.2)
        actor.PickableOff()
        tubes_out[domain] = actor
        lines_out[domain] = _lines_actor(polylines, DOMAIN_HEX[domain], 1.0, 2.0)
    return tubes_out, lines_out


def _node_sources() -> list[object]:
    """One unit-sized shape per node kind, in NODE_KINDS order, so kinds read by shape."""
    upright = vtkTransform()
    upright.RotateX(90.0)  # cylinder axis y -> z: a manhole shaft
    shaft = vtkTransformFilter()
    cyl = vtkCylinderSource()
    cyl.SetResolution(12)
    cyl.SetRadius(0.5)
    shaft.SetInputConnection(cyl.GetOutputPort())
    shaft.SetTransform(upright)
    valve = vtkCubeSource()
    outfall = vtkConeSource()
    outfall.SetDirection(0.0, 0.0, -1.0)
    outfall.SetResolution(12)
    pump = vtkSphereSource()
    pump.SetThetaResolution(12)
    pump.SetPhiResolution(8)
    hoist = vtkCubeSource()
    hoist.SetXLength(1.6)
    hoist.SetYLength(1.6)
    hoist.SetZLength(0.3)
    by_kind = {"manhole": shaft, "valve": valve, "outfall": outfall, "pump": pump}
    by_kind["hoist_opening"] = hoist
    return [by_kind[k] for k in NODE_KINDS]


def _nodes(city: City, sizes: SceneSizes) -> vtkActor | None:
    if not city.nodes:
        return None
    domain_of = {p.id: p.domain for p in city.pipelines}
    pos = np.array([n.position for n in city.nodes], dtype=np.float64)
    rgb = np.array(
        [
            hex_rgb(DOMAIN_HEX.get(domain_of.get(n.pipeline, ""), NODE_HEX_DEFAULT))
            for n in city.nodes
        ],
        dtype=np.uint8,
    )
    pd = make_polydata(pos)
    colours = numpy_to_vtk(rgb, deep=True)
    colours.SetName("rgb")
    pd.GetPointData().AddArray(colours)
    kinds = vtkIntArray()
    kinds.SetName("kind")
    for n in city.nodes:
        kinds.InsertNextValue(NODE_KINDS.index(n.kind))
    pd.GetPointData().AddArray(kinds)
    if pd.GetNumberOfPoints() > SPLAT_ABOVE:  # a province of manholes: splats, not shapes
        splats = splat_mapper(pd, "rgb", None)
        splats.SetScaleFactor(sizes.node * 0.5)
        actor = vtkActor()
        actor.SetMapper(splats)
        actor.GetProperty().SetAmbient(0.3)
        actor.PickableOff()
        return actor
    mapper = vtkGlyph3DMapper()
    mapper.SetInputData(pd)
    for i, src in enumerate(_node_sources()):
        mapper.SetSourceConnection(i, src.GetOutputPort())  # type: ignore[attr-defined]
    mapper.SourceIndexingOn()
    mapper.SetSourceIndexArray("kind")
    mapper.OrientOff()
    mapper.ScalingOff()
    mapper.SetScaleFactor(sizes.node)
    mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectColorArray("rgb")
    mapper.SetColorModeToDirectScalars()
    actor = vtkActor()
    actor.SetMapper(mapper)
    actor.GetProperty().SetAmbient(0.3)
    actor.PickableOff()
    return actor


def _bridges(city: City) -> vtkActor | None:
    if not city.bridges:
        return None
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(bridge_geometry(city.bridges))
    actor = vtkActor()
    actor.SetMapper(mapper)
    prop = actor.GetProperty()
    prop.SetColor(unit_rgb(BRIDGE_HEX))
    prop.SetInterpolationToFlat()
    prop.SetAmbient(0.3)
    prop.SetDiffuse(0.7)
    actor.PickableOff()
    return actor


def _labels(city: City) -> vtkActor2D:
    anchors = [tunnel_label_anchor(t) for t in city.tunnels]
    texts = [t.name for t in city.tunnels]
    prio = [10] * len(texts)
    for b in city.bridges:
        anchors.append(
            ((b.start[0] + b.end[0]) / 2, (b.start[1] + b.end[1]) / 2, b.deck_height + 3)
        )
        texts.append(b.name)
        prio.append(5)
    return make_labels(np.array(anchors, dtype=np.float64).reshape(-1, 3), texts, prio)


def build_static_layers(city: City, sizes: SceneSizes) -> StaticLayers:
    """Every actor that depends only on the city model."""
    tubes, lines = _pipes(city, sizes)
    return StaticLayers(
        ground=_ground(city, sizes),
        tunnels=_tunnels(city),
        pipes=tubes,
        pipe_lines=lines,
        nodes=_nodes(city, sizes),
        bridges=_bridges(city),
        labels=_labels(city),
    )
