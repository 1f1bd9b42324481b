"""The 3D city view bound to the model: state colours, selection, fly-to, hover and its toolbar."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import Quality
from widgets.scene_hover import hover_text
from widgets.scene_words import mode_title

RECOLOUR_INTERVAL_S = 0.5  # offline/bad-quality states change slowly; alarms recolour at once
NETWORK_MODE_TEXT = QT_TRANSLATE_NOOP("SceneToolbar", "Pipes: by network")


class SceneToolbar(QWidget):
    """Camera presets and display toggles over the 3D view; it only reports what was asked."""

    overviewRequested = Signal()
    tunnelRequested = Signal(str)
    xrayToggled = Signal(bool)
    legendToggled = Signal(bool)
    pipeModeChanged = Signal(object)  # a value mode key, or None for colours by network

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sceneToolbar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 6, 3)
        row.setSpacing(6)
        self.overview = self._button(
            QCoreApplication.translate("SceneToolbar", "Overview"),
            QCoreApplication.translate("SceneToolbar", "Whole district (Home or R)"),
        )
        self.overview.clicked.connect(self.overviewRequested)
        self.tunnels = QComboBox(self)
        self.tunnels.setObjectName("sceneTunnels")
        self.tunnels.setToolTip(
            QCoreApplication.translate("SceneToolbar", "Frame one utility tunnel (T: next tunnel)")
        )
        self.tunnels.activated.connect(self._tunnel_chosen)
        self.xray = self._button(
            QCoreApplication.translate("SceneToolbar", "X-ray"),
            QCoreApplication.translate("SceneToolbar", "Cut compartments away, see inside (X)"),
            checkable=True,
        )
        self.xray.toggled.connect(self.xrayToggled)
        self.pipe_mode = QComboBox(self)
        self.pipe_mode.setObjectName("scenePipeMode")
        self.pipe_mode.setToolTip(
            QCoreApplication.translate(
                "SceneToolbar", "Colour pipelines by network or by a live value (C: next)"
            )
        )
        self.pipe_mode.currentIndexChanged.connect(
            lambda _i: self.pipeModeChanged.emit(self.pipe_mode.currentData())
        )
        self.legend = self._button(
            QCoreApplication.translate("SceneToolbar", "Legend"),
            QCoreApplication.translate("SceneToolbar", "Show the key to colours and tags (K)"),
            True,
        )
        self.legend.setChecked(True)
        self.legend.toggled.connect(self.legendToggled)
        for w in (self.overview, self.tunnels, self.xray, self.pipe_mode, self.legend):
            row.addWidget(w)
        row.addStretch(1)

    def _button(self, text: str, tip: str, checkable: bool = False) -> QToolButton:
        b = QToolButton(self)
        b.setObjectName("sceneTool")
        b.setText(text)
        b.setToolTip(tip)
        b.setCheckable(checkable)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return b

    def set_choices(self, tunnels: list[tuple[str, str]], modes: list[tuple[str, str]]) -> None:
        """Fill the tunnel list (id, name) and the value modes (key, title) for a new city."""
        self.tunnels.blockSignals(True)
        self.tunnels.clear()
        self.tunnels.addItem(QCoreApplication.translate("SceneToolbar", "Go to tunnel…"), None)
        for tid, name in tunnels:
            self.tunnels.addItem(name, tid)
        self.tunnels.setEnabled(bool(tunnels))
        self.tunnels.blockSignals(False)
        self.pipe_mode.blockSignals(True)
        self.pipe_mode.clear()
        self.pipe_mode.addItem(QCoreApplication.translate("SceneToolbar", NETWORK_MODE_TEXT), None)
        for key, title in modes:
            self.pipe_mode.addItem(
                QCoreApplication.translate("SceneToolbar", "Pipes: {title}").format(title=title),
                key,
            )
        self.pipe_mode.blockSignals(False)

    def _tunnel_chosen(self, index: int) -> None:
        tid = self.tunnels.itemData(index)
        if tid is not None:
            self.tunnelRequested.emit(str(tid))

    def next_tunnel(self) -> None:
        """Step to the next tunnel in the list (wrapping)."""
        n = self.tunnels.count()
        if n > 1:
            index = self.tunnels.currentIndex() % (n - 1) + 1
            self.tunnels.setCurrentIndex(index)
            self._tunnel_chosen(index)

    def next_pipe_mode(self) -> None:
        """Step to the next pipeline colouring (wrapping)."""
        n = self.pipe_mode.count()
        if n > 1:
            self.pipe_mode.setCurrentIndex((self.pipe_mode.currentIndex() + 1) % n)


class SceneView(QWidget):
    """Builds the scene when the city arrives; recolours on alarm changes and twice a second."""

    sensorPicked = Signal(int)

    def __init__(self, model: ConsoleModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from widgets.scene_widget import SceneWidget  # VTK loads only when the view exists

        self.model = model
        self.toolbar = SceneToolbar(self)
        self.toolbar.setEnabled(False)
        self.scene = SceneWidget(parent=self)
        self.scene.set_tooltip_provider(self.hover_text)
        self.placeholder = QLabel(
            QCoreApplication.translate("SceneView", "Waiting for the city model…"), self
        )
        self.placeholder.setObjectName("placeholder")
        body = QWidget(self)
        self._stack = QStackedLayout(body)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.scene)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.toolbar)
        column.addWidget(body, 1)
        self.scene.sensorPicked.connect(self.sensorPicked)
        self._wire_toolbar()
        self._last_recolour = 0.0
        self._has_city = False
        self._pending_focus: int | None = None
        self._codes = np.zeros(0, dtype=np.uint8)
        self._deferred = QTimer(self)
        self._deferred.setSingleShot(True)
        self._deferred.timeout.connect(self.recolour)

    def _wire_toolbar(self) -> None:
        bar = self.toolbar
        bar.overviewRequested.connect(self.scene.show_overview)
        bar.tunnelRequested.connect(self.scene.focus_tunnel)
        bar.xrayToggled.connect(self.scene.set_xray)
        bar.legendToggled.connect(self.scene.set_legend_visible)
        bar.pipeModeChanged.connect(self._pipe_mode_changed)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("Home", bar.overview.click),
            ("X", bar.xray.toggle),
            ("K", bar.legend.toggle),
            ("C", bar.next_pipe_mode),
            ("T", bar.next_tunnel),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    @property
    def has_city(self) -> bool:
        return self._has_city

    def load_city(self) -> None:
        city = self.model.city
        if city is None:
            return
        self.scene.set_city(city)
        assert self.scene.scene is not None
        self.toolbar.set_choices(
            [(t.id, t.name) for t in city.tunnels],
            [(m.key, mode_title(m)) for m in self.scene.scene.pipe_values.modes],
        )
        self.toolbar.xray.setChecked(False)
        self.toolbar.legend.setChecked(True)
        self.toolbar.setEnabled(True)
        self._stack.setCurrentWidget(self.scene)
        self._has_city = True
        self.recolour()
        if self._pending_focus is not None:
            self.fly_to(self._pending_focus)

    def _pipe_mode_changed(self, key: str | None) -> None:
        self.scene.set_pipe_mode(key)
        self._push_values()

    def _catalog_matches(self) -> bool:
        city = self.model.city
        return self._has_city and city is not None and len(self.model.sensors) == len(city.sensors)

    def recolour(self) -> None:
        """One array write for every sensor (and one for the pipes in value mode)."""
        if not self._catalog_matches():
            return
        codes, blink = self.model.sensor_codes()
        self._codes = codes
        self.scene.set_sensor_states(codes, blink)
        self._push_values()
        self._last_recolour = time.monotonic()

    def _push_values(self) -> None:
        """Latest readings to the pipe colouring, when a value mode is on."""
        if self.scene.scene is None or self.scene.pipe_mode is None or not self._catalog_matches():
            return
        latest = self.model.buffers.latest()
        self.scene.set_pipe_values(latest.values, latest.quality == Quality.GOOD)

    def hover_text(self, index: int) -> str:
        """Tooltip for a hovered sensor: name, live value and unit, state in words."""
        sensors = self.model.sensors
        if not 0 <= index < len(sensors):
            return self.scene.scene.sensor_name(index) if self.scene.scene is not None else ""
        latest = self.model.buffers.latest()
        has = index < len(latest.values)
        value = float(latest.values[index]) if has else float("nan")
        quality = int(latest.quality[index]) if has else int(Quality.MISSING)
        code = int(self._codes[index]) if index < len(self._codes) else 0
        alarms = [a for a in self.model.alarms.active() if a.channel == index]
        alarm = min(alarms, key=lambda a: a.level) if alarms else None
        return hover_text(sensors[index], value, quality, code, alarm)

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
        """The 3D view's own frame buffer, for screenshots: a flight lands first."""
        if not self._has_city:
            return QImage()
        self.scene.land()
        return self.scene.grab_frame()

    def gl_widget(self) -> QWidget:
        return self.scene
