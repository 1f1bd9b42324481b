"""Renders the 3D scene on a thread of its own, into an offscreen EGL window.

Software GL renders a big city in 50-300 ms. On the GUI thread that froze plots and the alarm
queue for as long; VTK's Render() releases the GIL, so on a worker thread it costs the GUI
nothing. The GUI changes the scene under a lock the worker holds while it renders: when the
worker is busy a change is queued and applied just before the next frame, so the GUI never
waits for a frame. Only GL work (render, read-back, teardown) runs on the worker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

import numpy as np
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL backend)
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from vtkmodules.vtkRenderingOpenGL2 import vtkEGLRenderWindow

from .city_scene import read_pixels

log = logging.getLogger(__name__)

T = TypeVar("T")

RENDER_DUTY = 2.0  # idle this many render-durations before a paced render (not interaction)
MAX_RENDER_GAP_S = 2.0


class SceneRenderer(QObject):
    """A render window on a worker thread: change it from the GUI, get frames back as images."""

    frameRendered = Signal(QImage, float)  # the frame and how long it took, in ms

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = vtkEGLRenderWindow()  # no X: the worker owns the context, not Qt
        self.window.SetOffScreenRendering(1)
        self.window.SetSize(640, 480)
        self._size = (640, 480)  # the view's size in device pixels
        self._scale = 1.0  # frames are rendered at this fraction of it (less while moving)
        self.renders = 0  # frames rendered so far (idle cost is measured by this)
        self.last_render_ms = 0.0
        self.before_render: Callable[[float], None] | None = None  # on the worker, under lock
        self._scene_lock = threading.Lock()  # held by whoever touches VTK objects
        self._wake = threading.Condition()  # guards the fields below
        self._jobs: list[Callable[[], None]] = []
        self._dirty = False
        self._urgent = False
        self._not_before = 0.0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="scene-render", daemon=True)
        self._thread.start()

    # --- from the GUI thread --------------------------------------------------------------------

    def change(self, fn: Callable[[], None]) -> None:
        """Apply a change to VTK objects now if the worker is idle, else just before its next
        frame (queued changes keep their order); never waits for a render."""
        with self._wake:
            queued = bool(self._jobs)
            if not queued and self._scene_lock.acquire(blocking=False):
                try:
                    fn()
                finally:
                    self._scene_lock.release()
                return
            self._jobs.append(fn)

    def read(self, fn: Callable[[], T]) -> T:
        """Run a read of VTK state (no GL) once queued changes are applied; may wait one frame."""
        with self._scene_lock:
            self._apply_queued()
            return fn()

    def try_read(self, fn: Callable[[], T]) -> tuple[bool, T | None]:
        """As read(), but give up at once while a frame renders: (False, None)."""
        if not self._scene_lock.acquire(blocking=False):
            return False, None
        try:
            self._apply_queued()
            return True, fn()
        finally:
            self._scene_lock.release()

    def call(self, fn: Callable[[], T], timeout_s: float = 30.0) -> T:
        """Run GL work (a read-back) on the worker and wait for its result."""
        future: Future = Future()

        def job() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the caller, who raises it
                future.set_exception(exc)

        with self._wake:
            self._jobs.append(job)
            self._wake.notify()
        return future.result(timeout=timeout_s)

    def request_render(self, urgent: bool = False) -> None:
        """Render once soon; urgent (interaction, fly-to) skips the pacing that keeps idle
        rendering to a third of a core."""
        with self._wake:
            self._dirty = True
            self._urgent = self._urgent or urgent
            self._wake.notify()

    def resize(self, width: int, height: int) -> None:
        """The view's size in device pixels; the next frame has it (times the scale)."""
        self._size = (max(int(width), 1), max(int(height), 1))
        self._apply_size()

    def set_scale(self, scale: float) -> None:
        """Render frames at this fraction of the view's size (the view stretches them)."""
        self._scale = scale
        self._apply_size()

    def _apply_size(self) -> None:
        w, h = (max(round(v * self._scale), 1) for v in self._size)
        self.change(lambda: self.window.SetSize(w, h))
        self.request_render(urgent=True)

    def stop(self) -> None:
        """Finish the worker and release the GL context; idempotent."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    # --- on the worker --------------------------------------------------------------------------

    def _apply_queued(self) -> None:
        """Run queued changes (caller holds the scene lock)."""
        while True:
            with self._wake:
                jobs, self._jobs = self._jobs, []
            if not jobs:
                return
            for job in jobs:
                try:
                    job()
                except Exception:
                    log.exception("3D scene: a queued change failed")

    def _due(self) -> bool:
        return self._dirty and (self._urgent or time.monotonic() >= self._not_before)

    def _run(self) -> None:
        try:
            while True:
                with self._wake:
                    while not self._stopping and not self._jobs and not self._due():
                        wait = self._not_before - time.monotonic() if self._dirty else None
                        self._wake.wait(timeout=wait)
                    if self._stopping:
                        break
                    render = self._due()
                    if render:
                        self._dirty = self._urgent = False
                with self._scene_lock:
                    self._apply_queued()
                    if render:
                        self._render()
        except Exception:
            log.exception("3D render thread failed")
        finally:
            with self._scene_lock:
                self.window.Finalize()

    def _render(self) -> None:
        started = time.perf_counter()
        if self.before_render is not None:
            self.before_render(self.last_render_ms)
        self.window.Render()
        frame = read_pixels(self.window, rerender=False)
        took = time.perf_counter() - started
        self.last_render_ms = took * 1000
        self.renders += 1
        with self._wake:
            self._not_before = time.monotonic() + min(RENDER_DUTY * took, MAX_RENDER_GAP_S)
        self.frameRendered.emit(to_qimage(frame), self.last_render_ms)


def to_qimage(frame: np.ndarray) -> QImage:
    """An (h, w, 3) uint8 frame as a QImage that owns its pixels."""
    h, w, _ = frame.shape
    data = np.ascontiguousarray(frame)
    return QImage(data.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
