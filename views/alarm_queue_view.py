"""The wall alarm queue: header band, filters, the table, acknowledge with a comment, the horn."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from backend_client.model.alarm_book import AlarmCursor
from backend_client.model.alarm_queue import AlarmQueue, QueueFilter, QueueUpdate
from backend_client.model.alarm_queue_annunciation import AnnunciationPolicy
from backend_client.model.console_model import ConsoleModel
from views.alarm_queue_filters import DEFAULT_SCALE, FONT_SCALES, QueueFilterBar
from views.alarm_queue_header import QueueHeader
from widgets.alarm_sound import AlarmHorn
from widgets.alarm_table import AlarmTable
from widgets.alarm_table_model import AlarmTableModel
from widgets.style_flags import repolish, set_style_flag
from widgets.vocabulary import level_word

FLASH_INTERVAL_MS = 500  # one on/off cycle a second: 1 Hz, well under the 3 Hz photosensitive limit
MANDATORY_COMMENT_LEVELS = (1, 2)


class AlarmQueueView(QWidget):
    """Presents the alarm book through an AlarmQueue; acknowledgement is forwarded as intent."""

    acknowledgeRequested = Signal(str, str)  # alarm id, comment
    showInSceneRequested = Signal(int)  # channel
    detailsRequested = Signal(str)  # alarm id; the details panel listens
    severeAlarmRaised = Signal(str)  # first new level I/II alarm of a batch
    flashPhaseChanged = Signal(bool)
    annunciated = Signal(str)  # the horn sounded (or would have, without a speaker)

    def __init__(
        self,
        model: ConsoleModel,
        parent: QWidget | None = None,
        horn: AlarmHorn | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmQueue")
        self.model = model
        self.clock = clock or (lambda: model.clock())  # the model's: wall clock or replay
        self.queue = AlarmQueue()
        self.table_model = AlarmTableModel(self.queue, self)
        self.table = AlarmTable(self.table_model, self)
        self.header = QueueHeader(self)
        self.counts = self.header.counts
        self.unacked = self.header.unacked
        self.filters = QueueFilterBar(self)
        self.comment = QLineEdit(self)
        self.comment.setObjectName("ackComment")
        self.comment.setPlaceholderText(
            QCoreApplication.translate("AlarmQueue", "Comment (required for level I and II)")
        )
        self.comment.setMinimumWidth(120)
        self.ack_button = QPushButton(QCoreApplication.translate("AlarmQueue", "Ack (A)"), self)
        self.ack_button.setToolTip(
            QCoreApplication.translate("AlarmQueue", "Acknowledge the selected alarm (A or Space)")
        )
        self.ack_button.setObjectName("ackButton")
        self.locate_button = QPushButton(QCoreApplication.translate("AlarmQueue", "3D (L)"), self)
        self.locate_button.setToolTip(
            QCoreApplication.translate(
                "AlarmQueue", "Show the selected alarm's sensor in the 3D view"
            )
        )
        self.message = QLabel(self)
        self.message.setObjectName("actionMessage")
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        actions = QHBoxLayout()
        actions.addWidget(self.filters)
        actions.addSpacing(12)
        actions.addWidget(self.comment, 1)
        actions.addWidget(self.ack_button)
        actions.addWidget(self.locate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(3)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self.horn = horn if horn is not None else AlarmHorn(self)
        self.annunciator = AnnunciationPolicy()
        self._cursor: AlarmCursor | None = None
        self._catalog_seen = self._city_seen = -1
        self._flooding = False
        self._group_wanted = False
        self._flash_on = True
        self._flash = QTimer(self)
        self._flash.setInterval(FLASH_INTERVAL_MS)
        self._flash.timeout.connect(self._toggle_flash)
        self._flash.start()
        self._wire()
        self.set_scale(DEFAULT_SCALE)
        self.refresh()

    def _wire(self) -> None:
        self.ack_button.clicked.connect(self._ack_current)
        self.comment.returnPressed.connect(self._ack_current)
        self.table.acknowledgeRequested.connect(lambda _id: self._ack_current())
        self.table.detailsRequested.connect(self.detailsRequested)
        self.table.groupOpened.connect(self.open_group)
        self.locate_button.clicked.connect(self._locate_current)
        self.header.silence_button.clicked.connect(self.silence)
        self.filters.filterChanged.connect(self._filter_changed)
        self.filters.groupingToggled.connect(self._grouping_toggled)
        self.filters.scaleChanged.connect(self.set_scale)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("S", self.silence),
            ("G", self.filters.group.toggle),
            ("L", self._locate_current),
            ("Escape", self.close_group),
            ("Backspace", self.close_group),
            ("Ctrl++", lambda: self._step_scale(1)),
            ("Ctrl+=", lambda: self._step_scale(1)),
            ("Ctrl+-", lambda: self._step_scale(-1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    # --- model -> view --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Apply the alarm changes since the last frame as one batch; the selection stays put."""
        m = self.model
        if m.catalog_version != self._catalog_seen or m.city_version != self._city_seen:
            self._catalog_seen, self._city_seen = m.catalog_version, m.city_version
            names = {a.id: a.name for a in m.city.areas} if m.city is not None else {}
            self.table_model.set_sensors(m.sensors)
            self.table_model.update_queue(lambda: self.queue.set_sensors(m.sensors, names))
            self.filters.set_choices(self.queue.domains(), self.queue.areas())
        delta = m.alarms.changes_since(self._cursor)
        self._cursor = delta.cursor
        update = QueueUpdate()
        if delta.full:
            update = self.table_model.update_queue(lambda: self.queue.reset(delta.alarms.values()))
        elif delta.alarms:
            update = self.table_model.update_queue(lambda: self.queue.apply(delta.alarms))
        if update.raised:
            self.annunciator.note(len(update.raised))
            self.severeAlarmRaised.emit(update.raised[0].id)
        self.header.show_counts(self.queue.counts())
        self._tick_time()

    def refresh_values(self) -> None:
        """Live values move between alarm changes; called a few times a second."""
        self.table_model.set_live_values(self.model.buffers.latest().values)

    def set_backend_flood(self, flooding: bool | None) -> None:
        """A backend that flags floods itself overrides the console's own count."""
        self.queue.set_backend_flood(flooding)
        self._tick_time()

    def _tick_time(self) -> None:
        """What changes with the clock alone: flood state (raises age out) and the horn."""
        now = self.clock()
        now_us = int(now * 1e6)
        flooding = self.queue.flooding(now_us)
        if flooding != self._flooding:
            self._flooding = flooding
            self.filters.group.setChecked(flooding)  # the operator may still toggle it
        self.header.show_flood(flooding, self.queue.raises.raised_within(now_us), self._grouped())
        annunciation = self.annunciator.poll(now, flooding)
        if annunciation is not None:
            self.horn.sound(annunciation.text)
            self.annunciated.emit(annunciation.text)
        self.header.show_annunciation(self.annunciator.banner)

    def _toggle_flash(self) -> None:
        self._flash_on = not self._flash_on
        self.table_model.set_flash(self._flash_on)
        self.table.repaint_flashing()
        self.flashPhaseChanged.emit(self._flash_on)
        self._tick_time()

    # --- operator ---------------------------------------------------------------------------------

    def select_alarm(self, alarm_id: str) -> None:
        row = self.table_model.row_of(alarm_id)
        if row >= 0:
            self.table.selectRow(row)

    def silence(self) -> None:
        """Stop the horn; only alarms raised after this sound again."""
        self.annunciator.silence()
        self.horn.stop()
        self.header.show_annunciation("")

    def set_scale(self, scale: str) -> None:
        """Text size for the wall: the theme sizes fonts per scale; rows follow the font."""
        if scale not in FONT_SCALES:
            raise ValueError(f"unknown scale {scale!r}; one of {FONT_SCALES}")
        set_style_flag(self, "scale", scale)
        repolish(self)
        self.table.fit_to_font()
        if self.filters.scale.currentData() != scale:
            self.filters.scale.setCurrentIndex(FONT_SCALES.index(scale))

    def _step_scale(self, step: int) -> None:
        i = FONT_SCALES.index(self.filters.scale.currentData()) + step
        self.set_scale(FONT_SCALES[min(max(i, 0), len(FONT_SCALES) - 1)])

    def open_group(self, asset: str) -> None:
        """Enter on a flood group shows that asset's alarms."""
        self.filters.open_asset(asset)
        if self.table_model.rowCount():
            self.table.selectRow(0)

    def close_group(self) -> None:
        asset = self.filters.opened_asset
        if asset is None:
            return
        self.filters.open_asset(None)
        row = self.queue.group_row_of(asset) if self.table_model.grouped else -1
        if row >= 0:
            self.table.selectRow(row)

    def _grouped(self) -> bool:
        return self._group_wanted and self.filters.opened_asset is None

    def _grouping_toggled(self, on: bool) -> None:
        self._group_wanted = on
        self.table_model.set_grouped(self._grouped())

    def _filter_changed(self, queue_filter: QueueFilter) -> None:
        self.table_model.update_queue(lambda: self.queue.set_filter(queue_filter))
        self.table_model.set_grouped(self._grouped())

    def _ack_current(self) -> None:
        alarm = self.table.current_alarm()
        if alarm is None:
            if self.table.current_group() is not None:
                self.show_message(
                    QCoreApplication.translate(
                        "AlarmQueue", "Open the group (Enter) to acknowledge its alarms."
                    )
                )
            else:
                self.show_message(
                    QCoreApplication.translate("AlarmQueue", "Select an alarm to acknowledge.")
                )
            return
        comment = self.comment.text().strip()
        if alarm.level in MANDATORY_COMMENT_LEVELS and not comment:
            text = QCoreApplication.translate(
                "AlarmQueue", "A comment is required to acknowledge a level {level} alarm."
            )
            self.show_message(text.format(level=level_word(alarm.level)))
            self.comment.setFocus()
            return
        self.acknowledgeRequested.emit(alarm.id, comment)
        self.comment.clear()
        self.table.setFocus()

    def _locate_current(self) -> None:
        alarm = self.table.current_alarm()
        if alarm is not None:
            self.showInSceneRequested.emit(alarm.channel)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
