"""The scene's key: sensor states with their tags and words, pipe networks, in a corner panel.

Drawn by VTK in the overlay renderer, so it shows in screenshots and offscreen renders too.
Sized from the window height, so a wall screen gets wall-sized type; every row says in words
what its colour means, and level rows carry the same numeral the glyphs carry in the scene.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication
from vtkmodules.vtkCommonCore import vtkLookupTable
from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
)

from .scene_fonts import use_font_for
from .scene_geometry import make_polydata, regular_cells
from .scene_style import (
    SENSOR_SCALE,
    STATE_TAG,
    current,
    font_for_height,
    hex_rgb,
    unit_rgb,
)
from .scene_values import ValueMode, value_ramp
from .scene_words import mode_title, network_text, state_text

STATE_ORDER = (1, 2, 3, 4, 0, 5, 6)  # most severe first, as in the alarm queue
MARGIN_PX = 14
DISC_SIDES = 20
PANEL_ALPHA = 215


class Legend:
    """A panel in the top-left corner: sensor states, then pipe networks (or the value bar)."""

    def __init__(self) -> None:
        self.shapes = make_polydata(np.zeros((0, 3)))
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(self.shapes)
        mapper.SetScalarModeToUseCellData()
        mapper.SetColorModeToDirectScalars()
        self.panel = vtkActor2D()
        self.panel.SetMapper(mapper)
        self.panel.PickableOff()
        self.texts: list[vtkTextActor] = []
        self.pipe_note = ""  # set in value mode: the pipes are explained by the colour bar
        self.visible = True
        self.moving = False  # hidden while the camera moves: frames are drawn smaller then
        self._key: tuple | None = None
        self.rows: list[str] = []

    def props(self) -> list[object]:
        """Everything to add to the overlay renderer (text actors are pooled up front)."""
        for _ in range(2 * len(STATE_ORDER) + 10 - len(self.texts)):
            t = vtkTextActor()
            t.PickableOff()
            self.texts.append(t)
        return [self.panel, *self.texts]

    def set_visible(self, on: bool) -> None:
        """Show or hide the whole panel."""
        self.visible = bool(on)
        self._key = None

    def set_moving(self, moving: bool) -> None:
        """Hide the panel while the camera moves (a smaller frame would enlarge its text)."""
        self.moving = bool(moving)
        self._key = None

    def set_pipe_note(self, note: str) -> None:
        """'' lists the network colours; any other text replaces them (value mode)."""
        self.pipe_note = note
        self._key = None

    def update(self, renderer: vtkRenderer) -> None:
        """Lay the panel out for the renderer's size (only when size or content changed)."""
        w, h = renderer.GetSize()
        key = (w, h, self.visible, self.moving, self.pipe_note)
        if key == self._key:
            return
        self._key = key
        for t in self.texts:
            t.VisibilityOff()
        self.panel.SetVisibility(self.visible and not self.moving and w > 0 and h > 0)
        if not self.panel.GetVisibility():
            return
        self._layout(h, font_for_height(h))

    def _layout(self, height: int, font: int) -> None:
        """Two columns: sensor states (most severe first), then the pipe networks."""
        row_h = round(font * 1.5)
        disc_r = font * 0.42
        x0 = MARGIN_PX
        tag_w = font * 2.6  # disc and its numeral
        col_w = round(tag_w + font * 11.5)
        colours = current()  # the theme's legend panel, text and state colours
        states = [("state", state_text(c), colours.sensor_hex[c], c) for c in STATE_ORDER]
        if self.pipe_note:
            pipes = [("note", line, "", -1) for line in self.pipe_note.split("\n")]
        else:
            pipes = [("pipe", network_text(d), c, -1) for d, c in colours.domain_hex.items()]
        columns = [
            (QCoreApplication.translate("SceneLegend", "SENSORS"), states),
            (QCoreApplication.translate("SceneLegend", "PIPES"), pipes),
        ]
        n_rows = 1 + max(len(states), len(pipes))
        width = col_w + round(tag_w + font * 7.0) + 12
        top = height - MARGIN_PX
        bottom, right = top - (row_h * n_rows + 10), x0 + width
        corners = [[x0, bottom, 0], [right, bottom, 0], [right, top, 0], [x0, top, 0]]
        self._pts: list[np.ndarray] = [np.array(corners, dtype=np.float64)]
        self._cells: list[np.ndarray] = [np.array([[0, 1, 2, 3]])]
        panel = (*hex_rgb(colours.legend_panel), PANEL_ALPHA)
        self._rgba: list[tuple[int, int, int, int]] = [panel]
        self._n_pts = 4
        self._used = 0
        self.rows = []
        for col, (header, rows) in enumerate(columns):
            cx0 = x0 + 10 + col * col_w
            self._text(header, cx0, top - 5 - row_h * 0.5, max(font - 3, 11), colours.legend_header)
            for k, (kind, text, colour, code) in enumerate(rows):
                y = top - 5 - row_h * (k + 1.5)
                self.rows.append(text)
                if kind == "note":
                    self._text(text, cx0, y, font, colours.label, bold=False)
                    continue
                self._text(text, cx0 + tag_w, y, font, colours.label, bold=False)
                if kind == "state":
                    r = disc_r * float(np.sqrt(SENSOR_SCALE[code] / SENSOR_SCALE[1])) * 1.2
                    self._disc(cx0 + disc_r * 1.2, y, r, colour)
                    if STATE_TAG[code]:
                        self._text(STATE_TAG[code], cx0 + disc_r * 2.7, y, font, colours.legend_tag)
                else:
                    half = max(font * 0.14, 1.5)
                    self._quad(cx0, y - half, cx0 + tag_w - 8, y + half, colour)
        pd = make_polydata(
            np.vstack(self._pts),
            polys=regular_cells(np.vstack(self._cells)),
            cell_rgb=np.array(self._rgba, dtype=np.uint8),
        )
        self.shapes.ShallowCopy(pd)
        self.shapes.Modified()

    def _text(
        self, text: str, x: float, y: float, size: int, colour: str, bold: bool = True
    ) -> None:
        """Use the next pooled text actor, left-aligned and centred on y."""
        actor = self.texts[self._used]
        self._used += 1
        tp = actor.GetTextProperty()
        tp.SetFontSize(size)
        tp.SetBold(bold)
        tp.SetColor(unit_rgb(colour))
        tp.ShadowOn()
        tp.SetVerticalJustificationToCentered()
        tp.SetJustificationToLeft()
        use_font_for(tp, text)
        actor.SetInput(text)
        actor.SetPosition(x, y)
        actor.VisibilityOn()

    def _disc(self, cx: float, cy: float, r: float, colour: str) -> None:
        """A filled disc as a fan of degenerate quads (the panel's cells are all quads)."""
        ang = np.linspace(0, 2 * np.pi, DISC_SIDES, endpoint=False)
        rim = np.column_stack([cx + r * np.cos(ang), cy + r * np.sin(ang), np.zeros(DISC_SIDES)])
        self._pts.append(np.vstack([[cx, cy, 0.0], rim]))
        k = np.arange(DISC_SIDES)
        fan = np.stack([np.zeros(DISC_SIDES, np.int64), 1 + k, 1 + (k + 1) % DISC_SIDES], axis=1)
        self._cells.append(np.hstack([fan, fan[:, 2:3]]) + self._n_pts)
        self._rgba += [(*hex_rgb(colour), 255)] * DISC_SIDES
        self._n_pts += DISC_SIDES + 1

    def _quad(self, xa: float, ya: float, xb: float, yb: float, colour: str) -> None:
        """A filled rectangle: a pipe swatch."""
        corners = [[xa, ya, 0], [xb, ya, 0], [xb, yb, 0], [xa, yb, 0]]
        self._pts.append(np.array(corners, dtype=np.float64))
        self._cells.append(np.array([[0, 1, 2, 3]]) + self._n_pts)
        self._rgba.append((*hex_rgb(colour), 255))
        self._n_pts += 4


class ValueBar:
    """The colour bar of pipelines coloured by a value: shown only in value mode."""

    def __init__(self) -> None:
        self.lut = vtkLookupTable()
        colours = current()
        ramp = value_ramp(colours.value_ramp_hex)
        self.lut.SetNumberOfTableValues(len(ramp))
        for i, (r, g, b) in enumerate(ramp):
            self.lut.SetTableValue(i, r / 255.0, g / 255.0, b / 255.0, 1.0)
        self.actor = vtkScalarBarActor()
        self.actor.SetLookupTable(self.lut)
        self.actor.SetOrientationToVertical()
        self.actor.SetNumberOfLabels(5)
        self.actor.SetLabelFormat("%-#.3g")
        self.actor.UnconstrainedFontSizeOn()
        self.actor.DrawFrameOff()
        self.actor.SetBarRatio(0.28)
        self.actor.SetTextPositionToPrecedeScalarBar()
        self.actor.PickableOff()
        for tp in (self.actor.GetTitleTextProperty(), self.actor.GetLabelTextProperty()):
            tp.SetColor(unit_rgb(colours.label))
            tp.ShadowOn()
            tp.ItalicOff()
        self.actor.GetTitleTextProperty().BoldOn()
        self.actor.GetLabelTextProperty().BoldOff()
        self.actor.VisibilityOff()
        self.mode: ValueMode | None = None
        self._key: tuple | None = None

    def set_mode(self, mode: ValueMode | None) -> None:
        """Show the bar for a value mode, hide it for None (pipes by network)."""
        self.mode = mode
        if mode is not None:
            self.lut.SetTableRange(mode.vmin, mode.vmax)
            title = mode_title(mode)
            self.actor.SetTitle(title + "\n")
            use_font_for(self.actor.GetTitleTextProperty(), title)
        self.actor.SetVisibility(mode is not None)
        self._key = None

    def update(self, renderer: vtkRenderer) -> None:
        """Place the bar at the right edge, sized for the window."""
        w, h = renderer.GetSize()
        key = (w, h, self.mode)
        if key == self._key or self.mode is None or w <= 0 or h <= 0:
            return
        self._key = key
        font = font_for_height(h)
        self.actor.GetTitleTextProperty().SetFontSize(font)
        self.actor.GetLabelTextProperty().SetFontSize(font)
        bar_w, bar_h = font * 9, round(h * 0.42)
        self.actor.SetDisplayPosition(
            w - bar_w - MARGIN_PX - font * 3, round(h * 0.5 - bar_h * 0.4)
        )
        self.actor.SetMaximumWidthInPixels(bar_w)
        self.actor.SetMaximumHeightInPixels(bar_h)
        self.actor.SetWidth(bar_w / w)
        self.actor.SetHeight(bar_h / h)
