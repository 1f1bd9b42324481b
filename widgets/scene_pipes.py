"""Every pipeline in two actors (tubes for close-ups, lines for the overview), coloured per pipe.

Each point carries its pipeline's index and both mappers colour through one lookup table
with a row per pipeline: recolouring the networks, by domain or by a live value, is one write
into that table; the geometry never changes after load.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkLookupTable
from vtkmodules.vtkFiltersCore import vtkTubeFilter
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper

from backend_client.city import City

from .scene_geometry import pipe_polylines
from .scene_style import current, hex_rgb

IN_TUNNEL_MIN_RADIUS = 0.12
TUBE_MIN_PX = 1.5  # tubes thinner than this on screen are skipped: the lines show the pipes
LINE_WIDTH = 2.0


def domain_colours(domains: list[str] | np.ndarray) -> np.ndarray:
    """Per-pipeline RGBA in its network's colour."""
    colours = current()
    rgb = [hex_rgb(colours.domain_hex.get(str(d), colours.node)) for d in domains]
    out = np.full((len(rgb), 4), 255, dtype=np.uint8)
    if rgb:
        out[:, :3] = np.array(rgb, dtype=np.uint8)
    return out


def _mapper(lut: vtkLookupTable) -> vtkPolyDataMapper:
    mapper = vtkPolyDataMapper()
    mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectColorArray("pipe")
    mapper.SetColorModeToMapScalars()
    mapper.SetLookupTable(lut)
    mapper.UseLookupTableScalarRangeOn()
    mapper.ScalarVisibilityOn()
    return mapper


class PipeLayer:
    """Tubes and lines for all pipelines, one lookup-table row per pipeline."""

    def __init__(self, city: City, min_radius: float) -> None:
        pipes = list(city.pipelines)
        self.domains = [p.domain for p in pipes]
        n = len(pipes)
        radii = [
            max(p.diameter / 2.0, IN_TUNNEL_MIN_RADIUS if p.tunnel else min_radius) for p in pipes
        ]
        self.max_radius = max(radii, default=0.0)
        polylines = pipe_polylines(pipes, radii)
        index = np.repeat(np.arange(n, dtype=np.float32), [len(p.path) for p in pipes])
        arr = numpy_to_vtk(index, deep=True)
        arr.SetName("pipe")
        polylines.GetPointData().AddArray(arr)

        self.lut = vtkLookupTable()
        self.lut.SetNumberOfTableValues(max(n, 1))
        self.lut.SetTableRange(0.0, float(max(n - 1, 1)))
        self.lut.Build()
        self.table = vtk_to_numpy(self.lut.GetTable()).reshape(-1, 4)  # view into VTK memory

        tubes = vtkTubeFilter()  # run once: the tube geometry is static
        tubes.SetInputData(polylines)
        tubes.SetVaryRadiusToVaryRadiusByAbsoluteScalar()
        tubes.SetNumberOfSides(8)
        tubes.CappingOn()
        if n:
            tubes.Update()
        tube_mapper = _mapper(self.lut)
        tube_mapper.SetInputData(tubes.GetOutput())
        self.tubes = vtkActor()
        self.tubes.SetMapper(tube_mapper)
        prop = self.tubes.GetProperty()
        prop.SetAmbient(0.3)
        prop.SetDiffuse(0.75)
        prop.SetSpecular(0.2)
        self.tubes.PickableOff()

        line_mapper = _mapper(self.lut)
        line_mapper.SetInputData(polylines)
        self.lines = vtkActor()
        self.lines.SetMapper(line_mapper)
        self.lines.GetProperty().SetLineWidth(LINE_WIDTH)
        self.lines.GetProperty().LightingOff()
        self.lines.PickableOff()
        for actor in (self.tubes, self.lines):
            actor.SetVisibility(n > 0)
        self.set_colours(domain_colours(self.domains))

    @property
    def actors(self) -> tuple[vtkActor, vtkActor]:
        """Tubes and lines, for adding to a renderer."""
        return (self.tubes, self.lines)

    def set_colours(self, rgba: np.ndarray) -> None:
        """Recolour every pipeline: one write into the shared lookup table."""
        rgba = np.asarray(rgba, dtype=np.uint8)
        if rgba.shape != (len(self.domains), 4):
            raise ValueError(f"expected {len(self.domains)} pipeline colours, got {rgba.shape}")
        if not len(rgba):
            return
        self.table[: len(rgba)] = rgba
        # SetTableValue marks the table as inserted, so the next Build() keeps it; a bare
        # Modified() would make VTK rebuild the default hue ramp over it.
        r, g, b, a = (float(c) / 255.0 for c in rgba[0])
        self.lut.SetTableValue(0, r, g, b, a)

    def colours(self) -> np.ndarray:
        """The per-pipeline RGBA now in the table (a copy)."""
        return self.table[: len(self.domains)].copy()

    def update_view(self, px_per_m: float) -> None:
        """Show tubes only where they are wider than a pixel or so: the overview skips them."""
        wide = self.max_radius * 2.0 * px_per_m >= TUBE_MIN_PX
        self.tubes.SetVisibility(bool(len(self.domains)) and wide)
