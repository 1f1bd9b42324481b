"""The parts of the city scene that never change after load: ground, tunnels, pipes, bridges.

Built once per city from the model; nothing here is touched by live data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import vtkIntArray
from vtkmodules.vtkCommonTransforms import vtkTransform
from vtkmodules.vtkFiltersCore import vtkPolyDataNormals
from vtkmodules.vtkFiltersGeneral import vtkTransformFilter
from vtkmodules.vtkFiltersSources import (
    vtkConeSource,
    vtkCubeSource,
    vtkCylinderSource,
    vtkSphereSource,
)
from vtkmodules.vtkRenderingCore import vtkActor, vtkGlyph3DMapper, vtkPolyDataMapper

from backend_client.city import NODE_KINDS, City

from .scene_geometry import (
    area_outlines,
    bridge_geometry,
    ground_geometry,
    make_polydata,
    nice_step,
    tunnel_geometry,
)
from .scene_pipes import PipeLayer
from .scene_splats import MOVING_POINT_PX, SPLAT_ABOVE, splat_mapper
from .scene_style import (
    COMPARTMENT_OPACITY,
    GROUND_OPACITY,
    XRAY_COMPARTMENT_OPACITY,
    XRAY_GROUND_OPACITY,
    current,
    hex_rgb,
    unit_rgb,
)


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

    pipes: PipeLayer
    ground: list[vtkActor] = field(default_factory=list)
    tunnels: list[vtkActor] = field(default_factory=list)  # solid compartments
    cutaway: list[vtkActor] = field(default_factory=list)  # x-ray: cut at mid-height, lazy
    nodes: vtkActor | None = None
    bridges: vtkActor | None = None

    def actors(self) -> list[vtkActor]:
        """Every 3D actor, for adding to a renderer."""
        out = [*self.ground, *self.tunnels, *self.cutaway, *self.pipes.actors]
        return out + [a for a in (self.nodes, self.bridges) if a is not None]

    def set_xray(self, on: bool) -> None:
        """Swap solid compartments for cut-away, see-through ones, and thin the ground."""
        for actor in self.tunnels:
            actor.SetVisibility(not on)
        for actor in self.cutaway:
            actor.SetVisibility(on)
        if self.ground:
            self.ground[0].GetProperty().SetOpacity(XRAY_GROUND_OPACITY if on else GROUND_OPACITY)


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
    colours = current()  # ground, grid and district outlines in the theme's colours
    ground.GetProperty().SetColor(unit_rgb(colours.ground))
    ground.GetProperty().SetOpacity(GROUND_OPACITY)
    ground.GetProperty().LightingOff()
    ground.PickableOff()
    return [
        ground,
        _lines_actor(grid, colours.grid, 0.55, 1.0),
        _lines_actor(area_outlines(city.areas), colours.area, 0.8, 1.5),
    ]


def tunnel_actors(city: City, cutaway: bool) -> list[vtkActor]:
    """Compartment shells, their edges and the fire-zone rings; solid or cut away (x-ray)."""
    faces, edges, rings = tunnel_geometry(city.tunnels, cutaway=cutaway)
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
    prop.SetOpacity(XRAY_COMPARTMENT_OPACITY if cutaway else COMPARTMENT_OPACITY)
    prop.SetAmbient(0.45)
    prop.SetDiffuse(0.6)
    if cutaway:
        prop.BackfaceCullingOff()
    shell.PickableOff()
    actors = [
        shell,
        _lines_actor(edges, None, 1.0, 1.6),
        _lines_actor(rings, current().fire_zone, 0.75, 1.4),
    ]
    for actor in actors:
        actor.SetVisibility(not cutaway)
    return actors


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
    colours = current()
    palette = {d: hex_rgb(h) for d, h in colours.domain_hex.items()}
    other = hex_rgb(colours.node)
    rgb = np.array(
        [palette.get(domain_of.get(n.pipeline, ""), other) for n in city.nodes], dtype=np.uint8
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
        actor.GetProperty().SetPointSize(MOVING_POINT_PX)  # used only as plain points
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
    prop.SetColor(unit_rgb(current().bridge))
    prop.SetInterpolationToFlat()
    prop.SetAmbient(0.3)
    prop.SetDiffuse(0.7)
    actor.PickableOff()
    return actor


def build_static_layers(city: City, sizes: SceneSizes) -> StaticLayers:
    """Every actor that depends only on the city model."""
    return StaticLayers(
        pipes=PipeLayer(city, sizes.pipe_min_radius),
        ground=_ground(city, sizes),
        tunnels=tunnel_actors(city, cutaway=False),  # the cut-away set is built on first use
        nodes=_nodes(city, sizes),
        bridges=_bridges(city),
    )
