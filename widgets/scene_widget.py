"""Thin Qt view over CityScene: mouse camera and picking, hover tooltips, blink and fly-to.

All drawing state lives in CityScene (pure VTK), rendered on a worker thread by
SceneRenderer; this widget turns Qt events into scene changes and paints the frames it gets
back. Nothing here waits for a render, so a slow software-GL frame never stalls the console,
and the view needs no X server (VTK renders through EGL).
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from PySide6.QtCore import QElapsedTimer, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QCursor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from backend_client.city import City

from .city_scene import CityScene, read_pixels
from .scene_camera import ZOOM_PER_WHEEL_STEP, CameraPose, ease, interpolate, orbit, pan, zoom
from .scene_renderer import SceneRenderer, to_qimage
from .theme import active_theme

log = logging.getLogger(__name__)

FAST_RENDER_ABOVE_MS = 80.0  # a render slower than this switches the scene to fast rendering
BLINK_INTERVAL_MS = 500  # toggles twice a second: a 1 Hz blink, within the 2 Hz ceiling
FLY_DURATION_MS = 600
FLY_FRAME_MS = 16
CLICK_SLOP_PX = 4
HOVER_RETRY_MS = 40  # a hover pick that met a frame in progress tries again this soon
MOVING_PIXELS = 300_000  # a slow renderer draws frames of about this many pixels while moving
WHEEL_SETTLE_MS = 300  # the camera counts as moving this long after the last wheel step

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


def moving_scale(width: float, height: float) -> float:
    """Fraction of the view's size drawn while the camera moves: half, or less for a big view
    (software GL draws the scale-100 city at 20+ frames/s at 300,000 pixels, splats as points)."""
    return min(0.5, math.sqrt(MOVING_PIXELS / max(width * height, 1.0)))


class SceneCanvas(QWidget):
    """Paints the newest frame; its size is the render size."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.frame = QImage()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)  # hover tooltips
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def show_frame(self, frame: QImage) -> None:
        self.frame = frame
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.frame.isNull():
            painter.fillRect(self.rect(), active_theme().qcolor("scene.background"))
        else:  # a frame of the previous size stretches until the next one arrives
            painter.drawImage(self.rect(), self.frame)
        painter.end()


class SceneWidget(QWidget):
    """The 3D city view: emits picks and hovers, takes state arrays, renders only on change."""

    sensorPicked = Signal(int)
    sensorHovered = Signal(int)  # -1 when the pointer leaves every sensor

    def __init__(self, city: City | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene: CityScene | None = None
        self.canvas = SceneCanvas(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.renderer = SceneRenderer(self)
        self.renderer.before_render = self._before_render
        self.renderer.frameRendered.connect(self._frame_rendered)
        self.canvas.installEventFilter(self)
        self._press: tuple[Qt.MouseButton, QPoint, QPoint] | None = None  # button, first, last
        self._dragged = False
        self._hovered = -1
        self._hover_at: QPoint | None = None
        self._closed = False
        self._fast = False
        self._tooltip: Callable[[int], str] | None = None
        self._pipe_mode: str | None = None  # as asked: the scene may apply it a frame later
        self._moving = False  # the camera is being dragged, wheeled or flown
        self._light = False  # ...and frames are lighter meanwhile (a slow renderer)

        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(HOVER_RETRY_MS)
        self._hover_timer.timeout.connect(self._hover)
        self._wheel_timer = QTimer(self)
        self._wheel_timer.setSingleShot(True)
        self._wheel_timer.setInterval(WHEEL_SETTLE_MS)
        self._wheel_timer.timeout.connect(self._stop_moving)
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
        self._fly_target: Callable[[], CameraPose] | None = None
        self._fly_ms = FLY_DURATION_MS

        if city is not None:
            self.set_city(city)

    # --- model in -------------------------------------------------------------------------------

    def set_city(self, city: City) -> None:
        """Build the scene for a city (on this thread: no GL), replacing any previous one."""
        self._fly_timer.stop()
        self._blink_timer.stop()
        scene = CityScene(city)
        old, window = self.scene, self.renderer.window

        def swap() -> None:
            if old is not None:
                old.detach(window)
            scene.attach(window)
            scene.overview()

        self.renderer.read(swap)  # waits out a frame in progress: the old scene is in use
        self.scene = scene
        self._fast = False  # full quality until a render proves too slow
        self._hovered = -1
        self._pipe_mode = None
        self.request_render()

    @Slot(object, object)
    @_guarded
    def set_sensor_states(self, codes: np.ndarray, blink_mask: np.ndarray | None = None) -> None:
        """Recolour all sensors; start the blink timer only while something blinks."""
        scene = self.scene
        if scene is None:
            return
        codes = np.array(codes, dtype=np.uint8)  # a copy: applied later, maybe
        blink = None if blink_mask is None else np.array(blink_mask, dtype=bool)
        if codes.shape != (len(scene.city.sensors),):
            raise ValueError(f"expected {len(scene.city.sensors)} state codes, got {codes.shape}")
        blinking = blink is not None and bool(blink.any())
        if blinking and not self._blink_timer.isActive():
            self._blink_timer.start()
        elif not blinking:
            self._blink_timer.stop()
            self._blink_on = True
        phase = self._blink_on

        def apply() -> None:
            scene.set_sensor_states(codes, blink)
            scene.set_blink_phase(phase)

        self.renderer.change(apply)
        self.request_render()

    def _change(self, fn: Callable[[CityScene], None], urgent: bool = False) -> None:
        """Apply fn to the scene (now or before the next frame) and render."""
        scene = self.scene
        if scene is not None:
            self.renderer.change(lambda: fn(scene))
            self.request_render(urgent)

    @Slot(bool)
    @_guarded
    def set_xray(self, on: bool) -> None:
        """Cut the compartments away above mid-height and make them see-through (or restore)."""
        self._change(lambda s: s.set_xray(on), urgent=True)

    @Slot(bool)
    @_guarded
    def set_legend_visible(self, on: bool) -> None:
        """Show or hide the key panel drawn over the scene."""
        self._change(lambda s: s.set_legend_visible(on), urgent=True)

    @_guarded
    def set_pipe_mode(self, key: str | None) -> None:
        """Colour pipelines by network (None) or by a live value mode's key."""
        self._pipe_mode = key
        self._change(lambda s: s.set_pipe_mode(key), urgent=True)

    @_guarded
    def set_pipe_values(self, values: np.ndarray, good: np.ndarray | None = None) -> None:
        """Latest value per sensor for the value colouring (ignored in network mode)."""
        if self.scene is not None and self._pipe_mode is not None:
            values = np.array(values)
            good = None if good is None else np.array(good)
            self._change(lambda s: s.set_pipe_values(values, good))

    @property
    def pipe_mode(self) -> str | None:
        """The pipe colouring asked for last (None: by network)."""
        return self._pipe_mode

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
        chosen = None if index is None or index < 0 else int(index)
        self._change(lambda s: s.set_selected(chosen), urgent=True)

    @Slot(int)
    @_guarded
    def fly_to_sensor(self, index: int) -> None:
        """Animate the camera to a close view of one sensor over ~0.6 s."""
        scene = self.scene
        if scene is not None:
            self._fly(lambda: scene.camera_for_sensor(int(index)))

    @Slot()
    @_guarded
    def show_overview(self) -> None:
        """Animate back to the whole district."""
        if self.scene is not None:
            self._fly(self.scene.camera_for_overview)

    @Slot(str)
    @_guarded
    def focus_tunnel(self, tunnel_id: str) -> None:
        """Animate to frame one tunnel."""
        scene = self.scene
        if scene is not None:
            self._fly(lambda: scene.camera_for_tunnel(tunnel_id))

    # --- reading the scene ----------------------------------------------------------------------

    def sensor_display_position(self, index: int) -> tuple[float, float]:
        """Where a sensor is drawn, in display pixels (origin bottom-left), changes applied."""
        assert self.scene is not None
        return self.renderer.read(lambda: self.scene.sensor_display_position(index))

    def pick_at(self, xy: tuple[float, float]) -> int | None:
        """The sensor drawn at display pixel xy, changes applied."""
        if self.scene is None:
            return None
        return self.renderer.read(lambda: self.scene.pick_sensor(*xy))

    def settle(self) -> None:
        """Return once every change so far is applied and a frame of it is rendered."""
        self.renderer.call(self._render_here)

    @property
    def renders(self) -> int:
        """Frames rendered so far: an idle view adds none."""
        return self.renderer.renders

    # --- rendering ------------------------------------------------------------------------------

    def request_render(self, urgent: bool = False) -> None:
        """Render once soon, however many changes arrive before it."""
        if not self._closed and self.isVisible():
            self.renderer.request_render(urgent)

    def _before_render(self, last_ms: float) -> None:
        """On the render thread: a big city on software GL trades polish for speed."""
        if last_ms > FAST_RENDER_ABOVE_MS and self.scene is not None and not self._fast:
            self._fast = True
            self.scene.set_fast_rendering(True)
            log.info("3D render took %.0f ms: depth peeling and FXAA off", last_ms)

    def _frame_rendered(self, frame: QImage, _took_ms: float) -> None:
        if not self._closed:
            self.canvas.show_frame(frame)

    def _start_moving(self) -> None:
        """The camera starts to move: on a slow renderer, lighter and smaller frames meanwhile
        (splats as points, at most half size), so the view keeps up with the hand."""
        if self._moving:
            return
        self._moving = True
        if self._fast:
            self._light = True
            self._change(lambda s: s.set_moving(True))
            ratio = self.canvas.devicePixelRatioF()
            w, h = self.canvas.width() * ratio, self.canvas.height() * ratio
            self.renderer.set_scale(moving_scale(w, h))

    def _stop_moving(self) -> None:
        """The camera came to rest: full frames again."""
        if not self._moving:
            return
        self._moving = False
        if self._light:
            self._light = False
            self._change(lambda s: s.set_moving(False), urgent=True)
            self.renderer.set_scale(1.0)

    @property
    def moving(self) -> bool:
        """Whether the camera is being moved (drag, wheel or fly-to)."""
        return self._moving

    def _render_here(self) -> QImage:
        """On the render thread: draw the current state now and return the frame."""
        frame = to_qimage(read_pixels(self.renderer.window))
        self.canvas.frame = frame  # the next paint shows it (a signal would arrive later)
        return frame

    def grab_frame(self, steady: bool = True) -> QImage:
        """The 3D frame as it is now, changes applied.

        steady draws blinking sensors in their alarm colour, so a screenshot never catches
        an alarm in its dark phase.
        """
        if self._closed:
            return QImage()
        scene = self.scene

        def grab() -> QImage:
            if steady and scene is not None and scene.blinking and not self._blink_on:
                scene.set_blink_phase(True)
                frame = to_qimage(read_pixels(self.renderer.window))
                scene.set_blink_phase(False)
                return frame
            return self._render_here()

        frame = self.renderer.call(grab)
        self.request_render()
        return frame

    def _blink(self) -> None:
        scene = self.scene
        if scene is None:
            self._blink_timer.stop()
            return
        self._blink_on = not self._blink_on
        self._change(lambda s, on=self._blink_on: s.set_blink_phase(on))

    @property
    def blink_active(self) -> bool:
        """Whether the blink timer runs (only while some sensor blinks)."""
        return self._blink_timer.isActive()

    @property
    def flying(self) -> bool:
        """Whether a camera animation is in progress."""
        return self._fly_timer.isActive()

    def _fly(self, target: Callable[[], CameraPose], duration_ms: int = FLY_DURATION_MS) -> None:
        """Start a camera animation; its end is worked out at the first step that finds the
        scene free (never waiting for a frame in progress)."""
        self._fly_from = None
        self._fly_target = target
        self._fly_ms = max(duration_ms, 1)
        self._fly_timer.start()
        self._start_moving()

    def land(self) -> None:
        """End a camera flight at its destination now: a screenshot wants the still view."""
        if not self._fly_timer.isActive():
            return
        self._fly_timer.stop()
        scene, target = self.scene, self._fly_target
        if scene is not None and target is not None:
            pose = self._fly_to if self._fly_to is not None else self.renderer.call(target)
            self._change(lambda s: s.apply_pose(pose), urgent=True)
        self._stop_moving()

    def _fly_step(self) -> None:
        scene, target = self.scene, self._fly_target
        if scene is None or target is None:
            self._fly_timer.stop()
            self._stop_moving()
            return
        if self._fly_from is None or self._fly_to is None:
            done, poses = self.renderer.try_read(lambda: (scene.current_pose(), target()))
            if not done or poses is None:
                return  # a frame is rendering: try at the next step
            self._fly_from, self._fly_to = poses
            self._fly_clock.start()
        t = self._fly_clock.elapsed() / self._fly_ms
        if t >= 1.0:
            self._fly_timer.stop()
            pose = self._fly_to
        else:
            pose = interpolate(self._fly_from, self._fly_to, ease(t))
        self._change(lambda s: s.apply_pose(pose), urgent=True)
        if t >= 1.0:
            self._stop_moving()

    # --- Qt events ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.request_render()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        ratio = self.canvas.devicePixelRatioF()
        size = self.canvas.size()
        self.renderer.resize(round(size.width() * ratio), round(size.height() * ratio))

    def _display_xy(self, pos: QPoint) -> tuple[int, int]:
        """Qt widget position to VTK display pixels (origin bottom-left, device pixels)."""
        ratio = self.canvas.devicePixelRatioF()
        return (round(pos.x() * ratio), round((self.canvas.height() - pos.y() - 1) * ratio))

    def eventFilter(self, watched: Any, event: Any) -> bool:
        """Mouse on the canvas: drag turns, pans or zooms the camera; a click picks."""
        if watched is self.canvas and not self._closed:
            kind = event.type()
            if isinstance(event, QMouseEvent):
                if kind == event.Type.MouseButtonPress:
                    self._on_press(event)
                elif kind == event.Type.MouseMove:
                    self._on_move(event)
                elif kind == event.Type.MouseButtonRelease:
                    self._on_release(event)
            elif isinstance(event, QWheelEvent):
                self._on_wheel(event)
            elif kind == event.Type.Leave:
                self._set_hovered(-1)
        return super().eventFilter(watched, event)

    @_guarded
    def _on_press(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        self._press = (event.button(), pos, pos)
        self._dragged = False
        if self._fly_timer.isActive():  # the user takes the camera back
            self._fly_timer.stop()
            self._stop_moving()
        QToolTip.hideText()

    @_guarded
    def _on_move(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._press is None:
            self._hover_at = pos
            self._hover()
            return
        button, first, last = self._press
        if not self._dragged and (pos - first).manhattanLength() <= CLICK_SLOP_PX:
            return
        if not self._dragged:
            self._start_moving()
        self._dragged = True
        self._press = (button, first, pos)
        ratio = self.canvas.devicePixelRatioF()
        dx, dy = (pos.x() - last.x()) * ratio, -(pos.y() - last.y()) * ratio  # display: y up
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        w, h = round(self.canvas.width() * ratio), round(self.canvas.height() * ratio)
        if button == Qt.MouseButton.LeftButton and not shift:
            self._change(lambda s: orbit(s.camera, dx, dy, w, h), urgent=True)
        elif button == Qt.MouseButton.RightButton:
            self._change(lambda s: zoom(s.camera, ZOOM_PER_WHEEL_STEP ** (dy / 20.0)), True)
        else:  # middle button, or shift + left
            self._change(lambda s: pan(s.camera, dx, dy, s.pixels_per_metre()), urgent=True)

    @_guarded
    def _on_release(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        if self._dragged:
            self._stop_moving()
        if press is None or self._dragged or press[0] != Qt.MouseButton.LeftButton:
            return
        index = self.pick_at(self._display_xy(event.position().toPoint()))
        if index is not None:
            self.sensorPicked.emit(index)

    @_guarded
    def _on_wheel(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        self._start_moving()
        self._wheel_timer.start()
        self._change(lambda s: zoom(s.camera, ZOOM_PER_WHEEL_STEP**steps), urgent=True)
        event.accept()

    @_guarded
    def _hover(self) -> None:
        """Pick under the pointer without waiting: a frame in progress defers it a little."""
        if self.scene is None or self._hover_at is None or self._press is not None:
            return
        if self._light:  # frames are smaller while the camera moves: pick once it rests
            self._hover_timer.start()
            return
        scene, xy = self.scene, self._display_xy(self._hover_at)
        done, index = self.renderer.try_read(lambda: scene.pick_sensor(*xy))
        if not done:
            self._hover_timer.start()
            return
        self._set_hovered(-1 if index is None else index)

    def _set_hovered(self, hovered: int) -> None:
        if hovered == self._hovered:
            return
        self._hovered = hovered
        self.sensorHovered.emit(hovered)
        if hovered >= 0:
            QToolTip.showText(QCursor.pos(), self.tooltip_for(hovered), self.canvas)
        else:
            QToolTip.hideText()

    def keyPressEvent(self, event: Any) -> None:
        """R (as in VTK's own views) returns to the overview."""
        if event.key() == Qt.Key.Key_R:
            self.show_overview()
            return
        super().keyPressEvent(event)

    # --- teardown -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop timers and the render thread (which releases the GL context)."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Idempotent cleanup; safe to call before the widget is deleted."""
        if self._closed:
            return
        self._closed = True
        for timer in (self._hover_timer, self._wheel_timer, self._blink_timer, self._fly_timer):
            timer.stop()
        self.renderer.stop()
