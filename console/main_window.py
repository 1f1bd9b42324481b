"""The main window: docks around the 3D view, and the wiring between model, views and client."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from backend_client.client import BackendClient
from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState
from console.config import ConsoleConfig
from console.model_bridge import ModelBridge
from views.alarm_queue_view import AlarmQueueView
from views.plots_view import PlotsView
from views.scene_view import SceneView
from views.status_view import StatusView
from widgets.channel_tree import ChannelTree

log = logging.getLogger(__name__)
FOLLOW_LEVELS = (1, 2)


class MainWindow(QMainWindow):
    """Views only present and forward intent; the model and the client do the work."""

    def __init__(
        self,
        model: ConsoleModel,
        bridge: ModelBridge,
        client: BackendClient,
        config: ConsoleConfig,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.bridge = bridge
        self.client = client
        self.config = config
        self.setWindowTitle("Lifeline Console")
        self.setObjectName("mainWindow")
        self.scene_view = SceneView(model, self)
        self.setCentralWidget(self.scene_view)
        self.browser = ChannelTree(self)
        self.plots = PlotsView(
            model, config.plot_window_s, self, history=client.history, when_done=bridge.when_done
        )
        self.alarm_queue = AlarmQueueView(model, self)
        self.status = StatusView(model, self)
        self.setStatusBar(self.status)
        self._dock("Channels", self.browser, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._plots_dock = self._dock(
            "Live plots", self.plots, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self._queue_dock = self._dock(
            "Alarm queue", self.alarm_queue, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self._arranged = False
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._followed: set[str] = set()
        self._wire()

    def showEvent(self, event: QShowEvent) -> None:
        """Give the trend and the queue a useful share of the screen the first time."""
        super().showEvent(event)
        if not self._arranged:
            self._arranged = True
            self.resizeDocks(
                [self._plots_dock], [int(self.width() * 0.32)], Qt.Orientation.Horizontal
            )
            self.resizeDocks(
                [self._queue_dock], [int(self.height() * 0.28)], Qt.Orientation.Vertical
            )

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower().replace(' ', '-')}")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _wire(self) -> None:
        b = self.bridge
        b.catalogLoaded.connect(self._catalog_loaded)
        b.cityLoaded.connect(self.scene_view.load_city)
        b.alarmsChanged.connect(self._alarms_changed)
        b.selectionChanged.connect(self._selection_changed)
        b.frameTicked.connect(self.plots.refresh)
        b.frameTicked.connect(self.scene_view.tick)
        b.statsUpdated.connect(self.status.refresh)
        b.statsUpdated.connect(self.alarm_queue.refresh_values)
        b.linkChanged.connect(lambda _state: self.status.refresh())
        self.browser.channelSelected.connect(self.model.select)
        self.browser.channelActivated.connect(self.model.select)
        self.scene_view.sensorPicked.connect(self.model.select)
        self.alarm_queue.table.currentAlarmChanged.connect(self._alarm_selected)
        self.alarm_queue.showInSceneRequested.connect(self._show_in_scene)
        self.alarm_queue.acknowledgeRequested.connect(self.acknowledge)

    # --- model -> views ----------------------------------------------------------------------

    def _catalog_loaded(self) -> None:
        self.browser.set_sensors(self.model.sensors)
        self.plots.reset()
        self.alarm_queue.refresh()

    def _alarms_changed(self) -> None:
        self.alarm_queue.refresh()
        self.scene_view.recolour()
        if self.config.follow_alarms:
            self._follow_new_alarms()

    def _follow_new_alarms(self) -> None:
        """Bring a new level I/II alarm into view once, unless the operator is busy elsewhere."""
        for alarm in self.model.alarms.active():
            if alarm.level not in FOLLOW_LEVELS or alarm.state != AlarmState.UNACK:
                continue
            if alarm.id in self._followed:
                continue
            self._followed.add(alarm.id)
            self.alarm_queue.select_alarm(alarm.id)
            self.model.select(alarm.channel)
            self.scene_view.fly_to(alarm.channel)
            break

    def _selection_changed(self, channel: int) -> None:
        self.scene_view.select(channel)
        if channel >= 0:
            self.browser.select_channel(channel)
            self.plots.show_channel(channel)

    # --- views -> intent ---------------------------------------------------------------------

    def _alarm_selected(self, alarm_id: str) -> None:
        alarm = self.model.alarms.get(alarm_id)
        if alarm is not None and 0 <= alarm.channel < len(self.model.sensors):
            self.model.select(alarm.channel)

    def _show_in_scene(self, channel: int) -> None:
        self.model.select(channel)
        self.scene_view.fly_to(channel)

    def acknowledge(self, alarm_id: str, comment: str) -> None:
        """Send the acknowledgement; the queue changes only when the backend confirms it."""
        self.alarm_queue.show_message(f"Acknowledging {alarm_id}…")
        self.bridge.when_done(
            self.client.acknowledge(alarm_id, comment),
            lambda _result: self.alarm_queue.show_message(f"Acknowledged {alarm_id}."),
            lambda error: self.alarm_queue.show_message(f"Not acknowledged: {error}"),
        )

    # --- screenshots ---------------------------------------------------------------------------

    def gl_frames(self) -> list[tuple[QWidget, QImage]]:
        """OpenGL widgets and their frames, for composing screenshots."""
        return [(self.scene_view.gl_widget(), self.scene_view.frame())]
