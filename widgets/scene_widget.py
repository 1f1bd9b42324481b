"""Thin Qt view over CityScene: mouse picking, hover tooltips, blink and fly-to timers.

All drawing state lives in CityScene (pure VTK); this widget only turns Qt events into scene
calls and renders on demand. VTK's Qt widget needs a real X server (Xvfb is fine); it does
not work under QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QCursor, QImage, QMouseEvent
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget
from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera

from backend_client.city import City

from .city_scene import CityScene, read_pixels
from .scene_camera import CameraPose, ease, interpolate

log = logging.getLogger(__name__)

RENDER_DUTY = 2.0  # wait this many render-durations before the next render
FAST_RENDER_ABOVE_MS = 80.0  # a render slower than this switches the scene to fast rendering
MAX_RENDER_GAP_MS = 2000
BLINK_INTERVAL_MS = 500  # toggles twice a second: a 1 Hz blink, within the 2 Hz ceiling
FLY_DURATION_MS = 600
FLY_FRAME_MS = 16
CLICK_SLOP_PX = 4

F = TypeVar("F", bound=Callable[..., Any])


def _guarded(fn: F) -> F:
    """Log an exception raised in a slot instead of letting it escape into the event loop."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception:
            log.exception("scene widget: %s failed", fn.__name__)
            return None

    return wrapper  # type: ignore[return-value]


class SceneWidget(QWidget):
    """The 3D city view: emits picks and hovers, takes state arrays, renders only on change."""

    sensorPicked = Signal(int)
    sensorHovered = Signal(int)  # -1 when the pointer leaves every sensor

    def __init__(self, city: City | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene: CityScene | None = None
        self._vtk = QVTKRenderWindowInteractor(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._vtk)
        self._window = self._vtk.GetRenderWindow()
        self._interactor = self._window.GetInteractor()
        style = vtkInteractorStyleTrackballCamera()
        # An observer on the style replaces its OnChar: no stray 'w' turning the city wireframe.
        style.AddObserver("CharEvent", self._on_char)
        self._interactor.SetInteractorStyle(style)
        # Clicks come from Qt: while the style rotates it grabs VTK's focus and no VTK observer
        # sees the button release.
        self._vtk.installEventFilter(self)
        self._interactor.AddObserver("MouseMoveEvent", self._on_move)
        self._press_at: tuple[int, int] | None = None
        self._hovered = -1
        self._closed = False
        self._fast = False
        self._tooltip: Callable[[int], str] | None = None

        self._render_timer = QTimer(self)  # coalesces many changes into one Render()
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(0)
        self._render_timer.timeout.connect(self._render_now)
        self._blink_timer = QTimer(self)
        self._blink_timer.setInterval(BLINK_INTERVAL_MS)
        self._blink_timer.timeout.connect(self._blink)
        self._blink_on = True
        self._fly_timer = QTimer(self)
        self._fly_timer.setInterval(FLY_FRAME_MS)
        self._fly_timer.timeout.connect(self._fly_step)
        self._fly_clock = QElapsedTimer()
        self._fly_from: CameraPose | None = None
        self._fly_to: CameraPose | None = None
        self._fly_ms = FLY_DURATION_MS

        self._vtk.Initialize()
        if city is not None:
            self.set_city(city)

    # --- model in -------------------------------------------------------------------------------

    def set_city(self, city: City) -> None:
        """Build the scene for a city, replacing any previous one."""
        self._fly_timer.stop()
        self._blink_timer.stop()
        if self.scene is not None:
            self.scene.detach(self._window)
        self.scene = CityScene(city)
        self.scene.attach(self._window)
        self.scene.overview()
        self._fast = False  # full quality until a render proves too slow
        self._hovered = -1
        self.request_render()

    @Slot(object, object)
    @_guarded
    def set_sensor_states(self, codes: np.ndarray, blink_mask: np.ndarray | None = None) -> None:
        """Recolour all sensors; start the blink timer only while something blinks."""
        if self.scene is None:
            return
        self.scene.set_sensor_states(codes, blink_mask)
        if self.scene.blinking:
            self.scene.set_blink_phase(self._blink_on)
            if not self._blink_timer.isActive():
                self._blink_timer.start()
        else:
            self._blink_timer.stop()
            self._blink_on = True
            self.scene.set_blink_phase(True)
        self.request_render()

    @Slot(bool)
    @_guarded
    def set_xray(self, on: bool) -> None:
        """Cut the compartments away above mid-height and make them see-through (or restore)."""
        if self.scene is not None:
            self.scene.set_xray(on)
            self.request_render()

    @Slot(bool)
    @_guarded
    def set_legend_visible(self, on: bool) -> None:
        """Show or hide the key panel drawn over the scene."""
        if self.scene is not None:
            self.scene.set_legend_visible(on)
            self.request_render()

    @_guarded
    def set_pipe_mode(self, key: str | None) -> None:
        """Colour pipelines by network (None) or by a live value mode's key."""
        if self.scene is not None:
            self.scene.set_pipe_mode(key)
            self.request_render()

    @_guarded
    def set_pipe_values(self, values: np.ndarray, good: np.ndarray | None = None) -> None:
        """Latest value per sensor for the value colouring (ignored in network mode)."""
        if self.scene is not None and self.scene.pipe_mode is not None:
            self.scene.set_pipe_values(values, good)
            self.request_render()

    def set_tooltip_provider(self, provider: Callable[[int], str] | None) -> None:
        """What the hover tooltip says for a sensor index (default: its name and id)."""
        self._tooltip = provider

    def tooltip_for(self, index: int) -> str:
        """The hover text for one sensor."""
        if self._tooltip is not None:
            return self._tooltip(index)
        return self.scene.sensor_name(index) if self.scene is not None else ""

    @Slot(int)
    @_guarded
    def select_sensor(self, index: int | None) -> None:
        """Ring a sensor; None or -1 clears the selection."""
        if self.scene is None:
            return
        self.scene.set_selected(None if index is None or index < 0 else int(index))
        self.request_render()

    @Slot(int)
    @_guarded
    def fly_to_sensor(self, index: int) -> None:
        """Animate the camera to a close view of one sensor over ~0.6 s."""
        if self.scene is None:
            return
        self._fly(self.scene.camera_for_sensor(int(index)))

    @Slot()
    @_guarded
    def show_overview(self) -> None:
        """Animate back to the whole district."""
        if self.scene is not None:
            self._fly(self.scene.camera_for_overview())

    @Slot(str)
    @_guarded
    def focus_tunnel(self, tunnel_id: str) -> None:
        """Animate to frame one tunnel."""
        if self.scene is not None:
            self._fly(self.scene.camera_for_tunnel(tunnel_id))

    # --- rendering ------------------------------------------------------------------------------

    def request_render(self) -> None:
        """Render once on the next event-loop turn, however many changes arrive before it."""
        if not self._closed and not self._render_timer.isActive():
            self._render_timer.start()

    def _render_now(self) -> None:
        if not self._closed and self.isVisible():
            started = time.perf_counter()
            self._window.Render()
            took_ms = (time.perf_counter() - started) * 1000
            if took_ms > FAST_RENDER_ABOVE_MS and self.scene is not None and not self._fast:
                self._fast = True  # a big city on software GL: keep it responsive over pretty
                self.scene.set_fast_rendering(True)
                log.info("3D render took %.0f ms: depth peeling and FXAA off", took_ms)
            # pace the next render so 3D takes at most a third of the GUI thread (big cities
            # on software GL render in hundreds of ms; plots and the queue must stay smooth)
            self._render_timer.setInterval(min(MAX_RENDER_GAP_MS, int(RENDER_DUTY * took_ms)))

    def grab_frame(self, steady: bool = True) -> QImage:
        """The 3D frame from VTK's own buffer (QWidget.grab() shows VTK as black).

        steady draws blinking sensors in their alarm colour, so a screenshot never catches
        an alarm in its dark phase.
        """
        if self._closed:
            return QImage()
        if steady and self.scene is not None and self.scene.blinking and not self._blink_on:
            self.scene.set_blink_phase(True)
            frame = read_pixels(self._window)
            self.scene.set_blink_phase(False)
            self.request_render()
        else:
            frame = read_pixels(self._window)
        h, w, _ = frame.shape
        return QImage(frame.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()

    def _blink(self) -> None:
        if self.scene is None or not self.scene.blinking:
            self._blink_timer.stop()
            return
        self._blink_on = not self._blink_on
        self.scene.set_blink_phase(self._blink_on)
        self.request_render()

    @property
    def blink_active(self) -> bool:
        """Whether the blink timer runs (only while some sensor blinks)."""
        return self._blink_timer.isActive()

    @property
    def flying(self) -> bool:
        """Whether a camera animation is in progress."""
        return self._fly_timer.isActive()

    def _fly(self, target: CameraPose, duration_ms: int = FLY_DURATION_MS) -> None:
        assert self.scene is not None
        self._fly_from = self.scene.current_pose()
        self._fly_to = target
        self._fly_ms = max(duration_ms, 1)
        self._fly_clock.start()
        self._fly_timer.start()

    def _fly_step(self) -> None:
        if self.scene is None or self._fly_from is None or self._fly_to is None:
            self._fly_timer.stop()
            return
        t = self._fly_clock.elapsed() / self._fly_ms
        if t >= 1.0:
            self._fly_timer.stop()
            self.scene.apply_pose(self._fly_to)
        else:
            self.scene.apply_pose(interpolate(self._fly_from, self._fly_to, ease(t)))
        self.request_render()

    # --- mouse ----------------------------------------------------------------------------------

    def _display_xy(self, event: QMouseEvent) -> tuple[int, int]:
        """Qt widget position to VTK display pixels, exactly as QVTKRenderWindowInteractor does."""
        ratio = self._vtk.devicePixelRatioF()
        pos = event.position()
        return (round(pos.x() * ratio), round((self._vtk.height() - pos.y() - 1) * ratio))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turn a left press and release without drag into sensorPicked."""
        left = isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton
        if watched is self._vtk and left:
            if event.type() == QEvent.Type.MouseButtonPress:
                self._on_press(self._display_xy(event))  # type: ignore[arg-type]
            elif event.type() == QEvent.Type.MouseButtonRelease:
                self._on_release(self._display_xy(event))  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    @_guarded
    def _on_press(self, xy: tuple[int, int]) -> None:
        self._press_at = xy
        self._fly_timer.stop()  # the user takes the camera back

    @_guarded
    def _on_release(self, xy: tuple[int, int]) -> None:
        start, self._press_at = self._press_at, None
        if start is None or self.scene is None:
            return
        if abs(xy[0] - start[0]) <= CLICK_SLOP_PX and abs(xy[1] - start[1]) <= CLICK_SLOP_PX:
            index = self.scene.pick_sensor(*xy)
            if index is not None:
                self.sensorPicked.emit(index)

    def _on_char(self, *_: object) -> None:
        """Only 'r' (overview) from VTK's own keys: no stray 'w' turning the city wireframe."""
        if self._interactor.GetKeyCode() in ("r", "R"):
            self.show_overview()

    @_guarded
    def _on_move(self, *_: object) -> None:
        if self.scene is None or self._press_at is not None:
            return
        x, y = self._interactor.GetEventPosition()
        index = self.scene.pick_sensor(x, y)
        hovered = -1 if index is None else index
        if hovered == self._hovered:
            return
        self._hovered = hovered
        self.sensorHovered.emit(hovered)
        if hovered >= 0:
            QToolTip.showText(QCursor.pos(), self.tooltip_for(hovered), self._vtk)
        else:
            QToolTip.hideText()

    # --- teardown -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop timers and release the GL context before Qt destroys the native window."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Idempotent cleanup; safe to call before the widget is deleted."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._render_timer, self._blink_timer, self._fly_timer):
            timer.stop()
        self._vtk.Finalize()
