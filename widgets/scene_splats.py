"""Sensors and nodes as shaded point splats when there are tens of thousands of them.

A glyph mapper instances a full sphere per point: at 40,000 sensors software GL spent 300 ms a
frame transforming 3 million triangles that cover a pixel or two each. A point-Gaussian mapper
draws one screen-facing quad per point, shaded in the fragment shader to read as a sphere.
"""

from __future__ import annotations

from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPointGaussianMapper

SPLAT_ABOVE = 5000  # more points than this are drawn as splats, fewer as real glyphs
MOVING_POINT_PX = 3  # while the camera moves a splat is a plain point: half the frame's cost

# discard outside the unit disc; light the rest like a sphere's front
SPHERE_SPLAT = """//VTK::Color::Impl
float dist = dot(offsetVCVSOutput.xy, offsetVCVSOutput.xy);
if (dist > 1.0) {
  discard;
} else {
  float front = sqrt(1.0 - dist);
  ambientColor *= 0.55 + 0.45 * front;
  diffuseColor *= front;
}
"""


def set_moving(actor: vtkActor, moving: bool, factor: float) -> None:
    """A scale factor of 0 makes VTK draw a splat actor's points as plain points."""
    actor.GetMapper().SetScaleFactor(0.0 if moving else factor)


def splat_mapper(
    points: vtkPolyData, color_array: str, scale_array: str | None
) -> vtkPointGaussianMapper:
    """A mapper drawing each point as a sphere-like disc; its scale factor is the radius."""
    mapper = vtkPointGaussianMapper()
    mapper.SetInputData(points)
    if scale_array is not None:
        mapper.SetScaleArray(scale_array)
    mapper.SetScalarModeToUsePointFieldData()
    mapper.SelectColorArray(color_array)
    mapper.SetColorModeToDirectScalars()
    mapper.ScalarVisibilityOn()
    mapper.EmissiveOff()
    mapper.SetSplatShaderCode(SPHERE_SPLAT)
    return mapper
