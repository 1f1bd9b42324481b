"""The main window: docks around the 3D view, and the wiring between model, views and client."""

from __future__ import annotations

import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QImage, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

from backend_client.client import BackendClient
from backend_client.model.alarm_kpis import parse_shifts
from backend_client.model.console_model import ConsoleModel
from backend_client.model.role_policy import PolicyFormatError, RolePolicy, policy_from_dict
from backend_client.protocol import AlarmState, LinkState
from console.config import ConsoleConfig
from console.desk_layout import DeskLayouts
from console.model_bridge import ModelBridge
from views.alarm_details_view import AlarmDetailsView
from views.alarm_kpi_view import AlarmKpiView
from views.alarm_queue_view import AlarmQueueView
from views.plots_view import PlotsView
from views.scene_view import SceneView
from views.shortcut_sheet import install_window_keys
from views.status_view import StatusView
from views.summary_tiles import SummaryTileBoard
from widgets.channel_tree import ChannelTree
from widgets.vocabulary import role_name

log = logging.getLogger(__name__)


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
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Lifeline Console"))
        self.setObjectName("mainWindow")
        self.scene_view = SceneView(model, self)
        self.setCentralWidget(self.scene_view)
        self.browser = ChannelTree(self)
        self.plots = PlotsView(
            model, config.plot_window_s, self, history=client.history, when_done=bridge.when_done
        )
        self.alarm_queue = AlarmQueueView(model, self)
        self.alarm_queue.set_scale(alarm_text_size(config))
        self.status = StatusView(model, self)
        self.status.set_seat(client.identity.user, client.identity.role)
        self.setStatusBar(self.status)
        self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Channels"),
            self.browser,
            Qt.DockWidgetArea.LeftDockWidgetArea,
        )
        self._plots_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Live plots"),
            self.plots,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self._queue_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Alarm queue"),
            self.alarm_queue,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self._add_alarm_docks()
        self._arranged = False
        self._replay_docks: list[QDockWidget] = []  # incident library, training score
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._wire()
        self._wire_alarm_docks()
        self.layouts = DeskLayouts.for_config(self, config)  # per-user layouts, Layout menu
        self.shortcut_sheet = install_window_keys(self)  # F1 / ?: the keys; F11: full screen

    def showEvent(self, event: QShowEvent) -> None:
        """Give the trend and the queue a useful share of the screen the first time."""
        super().showEvent(event)
        if not self._arranged:
            self._arranged = True
            self.resizeDocks(
                [self._plots_dock], [int(self.width() * 0.32)], Qt.Orientation.Horizontal
            )
            self.resizeDocks(
                [self._queue_dock], [int(self.height() * 0.36)], Qt.Orientation.Vertical
            )
            self.resizeDocks(  # the details share the right column with the plots
                [self._plots_dock, self._details_dock],
                [int(self.height() * 0.40), int(self.height() * 0.60)],
                Qt.Orientation.Vertical,
            )

    def _add_alarm_docks(self) -> None:
        """Details and KPIs sit under the live plots, as two tabs."""
        self.alarm_details = AlarmDetailsView(
            self.model, self.client, self.client.identity.role, self.bridge.when_done, self
        )
        self.alarm_kpis = AlarmKpiView(self.model, self, shifts=parse_shifts(self.config.shifts))
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self._details_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Alarm details"), self.alarm_details, right
        )
        self._kpi_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Alarm KPIs"), self.alarm_kpis, right
        )
        self.summary = SummaryTileBoard(self.model, parent=self)
        self._summary_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Summary"), self.summary, right
        )
        self.splitDockWidget(self._plots_dock, self._details_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self._details_dock, self._kpi_dock)
        self.tabifyDockWidget(self._details_dock, self._summary_dock)
        self.setTabPosition(right, QTabWidget.TabPosition.North)
        self._details_dock.raise_()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        """title: the English key; the objectName keeps it, the title bar shows it translated."""
        dock = QDockWidget(QCoreApplication.translate("MainWindow", title), self)
        dock.setObjectName(f"dock-{title.lower().replace(' ', '-')}")
        dock.setProperty("titleKey", title)
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
        self.alarm_queue.severeAlarmRaised.connect(self._follow_new_alarm)

    def _wire_alarm_docks(self) -> None:
        """The details follow the queue's selection; both panels read the alarm stream."""
        b = self.bridge
        b.alarmsChanged.connect(self.alarm_details.refresh)
        b.alarmsChanged.connect(self.alarm_kpis.observe)
        b.alarmsChanged.connect(self.summary.refresh)
        b.catalogLoaded.connect(self.summary.refresh)
        self.summary.tileActivated.connect(self.open_tile)
        b.statsUpdated.connect(self.alarm_details.refresh_values)
        b.linkChanged.connect(self._link_changed)
        self.alarm_queue.table.currentAlarmChanged.connect(self.alarm_details.show_alarm)
        self.alarm_queue.detailsRequested.connect(self.show_alarm_details)
        self.alarm_details.showInSceneRequested.connect(self._show_in_scene)
        self.alarm_details.showTrendRequested.connect(self._show_trend)
        self._apply_policy(self.alarm_details.policy)

    # --- model -> views ----------------------------------------------------------------------

    def _catalog_loaded(self) -> None:
        self.browser.set_sensors(self.model.sensors)
        self.plots.reset()
        self.alarm_queue.refresh()

    def _alarms_changed(self) -> None:
        self.alarm_queue.refresh()
        self.scene_view.recolour()

    def _follow_new_alarm(self, alarm_id: str) -> None:
        """Bring a new level I/II alarm into view once (the queue reports it once per raise)."""
        alarm = self.model.alarms.get(alarm_id)
        if not self.config.follow_alarms or alarm is None or alarm.state != AlarmState.UNACK:
            return
        self.alarm_queue.select_alarm(alarm.id)
        self.model.select(alarm.channel)
        self.scene_view.fly_to(alarm.channel)

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

    def _show_trend(self, channel: int) -> None:
        self.plots.show_channel(channel)
        self._plots_dock.raise_()

    def open_tile(self, group_by: str, key: str) -> None:
        """A summary tile opens its alarms: the queue filtered to that domain or district."""
        filters = self.alarm_queue.filters
        if group_by == "domain":
            filters.choose(domain=key)
        else:
            city = self.model.city
            names = {a.id: a.name for a in city.areas} if city is not None else {}
            filters.choose(area=names.get(key, key))
        self._queue_dock.raise_()
        self.alarm_queue.table.setFocus()

    def show_alarm_details(self, alarm_id: str) -> None:
        self.alarm_details.show_alarm(alarm_id)
        self._details_dock.raise_()

    def show_first_alarm_if_none(self) -> None:
        """Screenshot runs: fill the details panel with the queue's top alarm."""
        if self.alarm_details.details.alarm_id is None:
            alarms = self.model.alarms.active()
            if alarms:
                self.alarm_queue.select_alarm(alarms[0].id)
                self.show_alarm_details(alarms[0].id)

    # --- role policy -------------------------------------------------------------------------

    def _link_changed(self, state: str) -> None:
        """Each time the link comes up, read what the backend lets this seat's role do."""
        if state == LinkState.LIVE:
            self.bridge.when_done(
                self.client.fetch_policy(),
                self._policy_arrived,
                lambda error: log.warning("backend policy not available: %s", error),
            )

    def _policy_arrived(self, result: object) -> None:
        self.status.set_seat(self.client.identity.user, self.client.identity.role)  # a login
        try:
            policy = policy_from_dict(result, "backend policy")
        except PolicyFormatError as exc:
            log.warning("%s; keeping the bundled policy", exc)
            return
        self.alarm_details.set_policy(policy, "backend")
        self._apply_policy(policy)

    def _apply_policy(self, policy: RolePolicy) -> None:
        """A role that may never acknowledge (the wall) gets no ack button; the comment says why."""
        role = self.client.identity.role
        can_ack = bool(policy.levels(role, "ack"))
        self.alarm_queue.ack_button.setVisible(can_ack)
        self.alarm_queue.comment.setEnabled(can_ack)
        if not can_ack:
            self.alarm_queue.comment.setPlaceholderText(
                QCoreApplication.translate(
                    "MainWindow", "Role '{role}' may not acknowledge"
                ).format(role=role_name(role))
            )

    def acknowledge(self, alarm_id: str, comment: str) -> None:
        """Send the acknowledgement; the queue changes only when the backend confirms it."""
        self.alarm_queue.show_message(
            QCoreApplication.translate("MainWindow", "Acknowledging {alarm}…").format(
                alarm=alarm_id
            )
        )
        done = QCoreApplication.translate("MainWindow", "Acknowledged {alarm}.")
        done = done.format(alarm=alarm_id)
        self.bridge.when_done(
            self.client.acknowledge(alarm_id, comment),
            lambda result: self.alarm_queue.show_message(
                result.get("message", done)  # a replay: training
                if isinstance(result, dict)
                else done
            ),
            lambda error: self.alarm_queue.show_message(
                QCoreApplication.translate("MainWindow", "Not acknowledged: {error}").format(
                    error=error
                )
            ),
        )

    # --- replay ------------------------------------------------------------------------------

    def show_replay(self, top: QWidget, panels: list[tuple[str, QWidget]]) -> None:
        """Replay: the banner and transport across the top, the replay panels docked with the
        channels, and REPLAY in the title of the window and of every panel."""
        self.setMenuWidget(top)
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "REPLAY — Lifeline Console"))
        for dock in self.findChildren(QDockWidget):
            dock.setWindowTitle(replay_title(str(dock.property("titleKey") or dock.windowTitle())))
        channels = self.findChild(QDockWidget, "dock-channels")
        for title, widget in panels:
            dock = self._dock(title, widget, Qt.DockWidgetArea.LeftDockWidgetArea)
            dock.setWindowTitle(replay_title(title))
            self.tabifyDockWidget(channels, dock)
            self._replay_docks.append(dock)
        if self._replay_docks:
            self._replay_docks[0].raise_()

    def show_training_score(self) -> None:
        """Bring the training score forward (after a training acknowledgement)."""
        for dock in self._replay_docks[1:]:
            dock.raise_()

    # --- screenshots ---------------------------------------------------------------------------

    def gl_frames(self) -> list[tuple[QWidget, QImage]]:
        """OpenGL widgets and their frames, for composing screenshots."""
        return [(self.scene_view.gl_widget(), self.scene_view.frame())]


WALL_SCREEN_HEIGHT_PX = 1800
REPLAY_PANEL_TITLES = (  # console.app names the replay panels; their titles are translated here
    QT_TRANSLATE_NOOP("MainWindow", "Incidents"),
    QT_TRANSLATE_NOOP("MainWindow", "Training score"),
)


def replay_title(key: str) -> str:
    """A panel's title in a replay: REPLAY on every one; the plots are no longer live."""
    title = (
        QCoreApplication.translate("MainWindow", "Plots")
        if key == "Live plots"
        else QCoreApplication.translate("MainWindow", key)
    )
    return QCoreApplication.translate("MainWindow", "{title} · REPLAY").format(title=title)


def alarm_text_size(config: ConsoleConfig) -> str:
    """The configured alarm queue type size; auto: larger where it is read from across a room."""
    if config.alarm_text != "auto":
        return config.alarm_text
    screen = QGuiApplication.primaryScreen()
    tall = screen is not None and screen.geometry().height() >= WALL_SCREEN_HEIGHT_PX
    if config.role == "wall":
        return "wall" if tall else "large"
    return "large" if tall else "normal"
