"""The 3D city view bound to the model: state colours, selection and fly-to."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from backend_client.model.console_model import ConsoleModel

RECOLOUR_INTERVAL_S = 0.5  # offline/bad-quality states change slowly; alarms recolour at once


class SceneView(QWidget):
    """Builds the scene when the city arrives; recolours on alarm changes and twice a second."""

    sensorPicked = Signal(int)

    def __init__(self, model: ConsoleModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from widgets.scene_widget import SceneWidget  # VTK loads only when the view exists

        self.model = model
        self.scene = SceneWidget(parent=self)
        self.placeholder = QLabel("Waiting for the city model…", self)
        self.placeholder.setObjectName("placeholder")
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.scene)
        self.scene.sensorPicked.connect(self.sensorPicked)
        self._last_recolour = 0.0
        self._has_city = False
        self._pending_focus: int | None = None
        self._deferred = QTimer(self)
        self._deferred.setSingleShot(True)
        self._deferred.timeout.connect(self.recolour)

    @property
    def has_city(self) -> bool:
        return self._has_city

    def load_city(self) -> None:
        city = self.model.city
        if city is None:
            return
        self.scene.set_city(city)
        self._stack.setCurrentWidget(self.scene)
        self._has_city = True
        self.recolour()
        if self._pending_focus is not None:
            self.fly_to(self._pending_focus)

    def recolour(self) -> None:
        """One array write for every sensor."""
        if not self._has_city or len(self.model.sensors) != len(self.model.city.sensors):
            return
        codes, blink = self.model.sensor_codes()
        self.scene.set_sensor_states(codes, blink)
        self._last_recolour = time.monotonic()

    def tick(self) -> None:
        """Called per display frame; recolours at most twice a second."""
        if time.monotonic() - self._last_recolour >= RECOLOUR_INTERVAL_S:
            self.recolour()

    def select(self, channel: int) -> None:
        if self._has_city:
            self.scene.select_sensor(None if channel < 0 else channel)

    def fly_to(self, channel: int) -> None:
        if not self._has_city:
            self._pending_focus = channel
            return
        self._pending_focus = None
        self.scene.fly_to_sensor(channel)

    def frame(self) -> QImage:
        """The 3D view's own frame buffer, for screenshots."""
        return self.scene.grab_frame() if self._has_city else QImage()

    def gl_widget(self) -> QWidget:
        return self.scene
