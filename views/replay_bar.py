"""The replay banner and transport across the top of the window: the REPLAY banner with the
replay time, play/pause, speed, step between alarms, loop, the timeline and Bookmark. It shows
the replay source's state and forwards what the operator asks for; it moves nothing itself."""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backend_client.model.replay_timeline import (
    SPEEDS,
    AlarmMark,
    clock_text,
    duration_text,
    speed_text,
)
from widgets.replay_timeline import ReplayTimeline

DURATION_UNITS = {
    "h": QT_TRANSLATE_NOOP("Duration", "h"),
    "min": QT_TRANSLATE_NOOP("Duration", "min"),
    "s": QT_TRANSLATE_NOOP("Duration", "s"),
}


def duration_words(span_us: int) -> str:
    """duration_text with its units in the operator's language: the core stays untranslated."""
    return re.sub(
        r"\b(h|min|s)\b",
        lambda m: QCoreApplication.translate("Duration", DURATION_UNITS[m.group(1)]),
        duration_text(span_us),
    )


class ReplayBar(QWidget):
    """Banner, transport and timeline; every control forwards intent as a signal."""

    playRequested = Signal()
    pauseRequested = Signal()
    speedChosen = Signal(float)
    stepRequested = Signal(int)  # -1: previous alarm, +1: next alarm
    loopToggled = Signal(bool)
    bookmarkRequested = Signal()
    seekRequested = Signal("qint64")  # a click or a drag on the timeline, recorded time (us)

    def __init__(self, parent: QWidget | None = None, can_bookmark: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("replayBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.playing = False
        self.banner = QLabel(QCoreApplication.translate("ReplayBar", "REPLAY"), self)
        self.banner.setObjectName("replayBanner")
        self.banner.setToolTip(
            QCoreApplication.translate(
                "ReplayBar",
                "Replay: every view shows the recording at this time.\n"
                "Acknowledgements are training actions, scored, never sent.",
            )
        )
        self.source_label = QLabel("", self)
        self.source_label.setObjectName("replaySource")
        self.play_button = QPushButton(QCoreApplication.translate("ReplayBar", "▶ Play"), self)
        self.play_button.setObjectName("replayPlay")
        self.play_button.setToolTip(
            QCoreApplication.translate("ReplayBar", "Play or pause the replay (Space in the bar)")
        )
        self.previous_button = QPushButton(
            QCoreApplication.translate("ReplayBar", "|◀ Alarm"), self
        )
        self.previous_button.setToolTip(
            QCoreApplication.translate("ReplayBar", "Go to the previous alarm raise")
        )
        self.next_button = QPushButton(QCoreApplication.translate("ReplayBar", "Alarm ▶|"), self)
        self.next_button.setToolTip(
            QCoreApplication.translate("ReplayBar", "Go to the next alarm raise")
        )
        self.speed = QComboBox(self)
        self.speed.setObjectName("replaySpeed")
        self.speed.setToolTip(
            QCoreApplication.translate("ReplayBar", "Replay speed: recorded seconds per second")
        )
        for s in SPEEDS:
            self.speed.addItem(speed_text(s), s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.loop_button = QPushButton(QCoreApplication.translate("ReplayBar", "⟲ Loop"), self)
        self.loop_button.setObjectName("replayLoop")
        self.loop_button.setCheckable(True)
        self.loop_button.setToolTip(
            QCoreApplication.translate("ReplayBar", "Start over at the end of the range")
        )
        self.range_label = QLabel("", self)
        self.range_label.setObjectName("replayRange")
        self.bookmark_button = QPushButton(
            QCoreApplication.translate("ReplayBar", "★ Bookmark"), self
        )
        self.bookmark_button.setToolTip(
            QCoreApplication.translate(
                "ReplayBar", "Save a stretch of this recording to the incident library"
            )
        )
        self.bookmark_button.setVisible(can_bookmark)
        self.timeline = ReplayTimeline(self)
        self._build()
        self._wire()

    def _build(self) -> None:
        """One purple row across the window (it keeps its height): banner, transport, timeline."""
        info = QVBoxLayout()
        info.setSpacing(0)
        info.addWidget(self.source_label)
        info.addWidget(self.range_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 6, 2)
        row.setSpacing(4)
        row.addWidget(self.banner)
        for widget in (
            self.play_button,
            self.previous_button,
            self.next_button,
            self.speed,
            self.loop_button,
        ):
            row.addWidget(widget)
        row.addWidget(self.timeline, 1)
        row.addLayout(info)
        row.addWidget(self.bookmark_button)

    def _wire(self) -> None:
        self.play_button.clicked.connect(self._play_clicked)
        self.previous_button.clicked.connect(lambda: self.stepRequested.emit(-1))
        self.next_button.clicked.connect(lambda: self.stepRequested.emit(1))
        self.speed.activated.connect(lambda i: self.speedChosen.emit(float(self.speed.itemData(i))))
        self.loop_button.toggled.connect(self.loopToggled)
        self.bookmark_button.clicked.connect(self.bookmarkRequested)
        self.timeline.positionPicked.connect(self.seekRequested)
        self.timeline.positionDragged.connect(self.seekRequested)
        self.timeline.dragFinished.connect(self.seekRequested)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("Space", self._play_clicked),
            ("PgDown", lambda: self.stepRequested.emit(1)),
            ("PgUp", lambda: self.stepRequested.emit(-1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    def _play_clicked(self) -> None:
        (self.pauseRequested if self.playing else self.playRequested).emit()

    # --- source -> bar ---------------------------------------------------------------------------

    def show_range(self, t0_us: int, t1_us: int, marks: list[AlarmMark], title: str = "") -> None:
        """A new range: its span, its alarm raises and what it is (an incident's title)."""
        self.timeline.set_range(t0_us, t1_us, marks)
        span = f"{clock_text(t0_us)}–{clock_text(t1_us)}"
        self.range_label.setText(
            QCoreApplication.translate("ReplayBar", "{span} · {duration} · {alarms} alarms").format(
                span=span, duration=duration_words(t1_us - t0_us), alarms=len(marks)
            )
        )
        self.source_label.setText(title if len(title) <= 40 else title[:39] + "…")
        self.source_label.setToolTip(
            f"{title}\n{clock_text(t0_us, with_date=True)} – {clock_text(t1_us, with_date=True)}"
        )

    def show_state(self, now_us: int, playing: bool, speed: float, loop: bool) -> None:
        """The source's position and play state, once a frame; cheap when nothing changed."""
        state = "▶" if playing else "‖"
        banner = QCoreApplication.translate("ReplayBar", "REPLAY  {time}  {state} {speed}").format(
            time=clock_text(now_us, with_date=True), state=state, speed=speed_text(speed)
        )
        if self.banner.text() != banner:
            self.banner.setText(banner)
        if playing != self.playing:
            self.playing = playing
            self.play_button.setText(
                QCoreApplication.translate("ReplayBar", "‖ Pause")
                if playing
                else QCoreApplication.translate("ReplayBar", "▶ Play")
            )
        if self.speed.currentData() != speed:
            self.speed.setCurrentIndex(self.speed.findData(speed))
        if self.loop_button.isChecked() != loop:
            self.loop_button.setChecked(loop)
        self.timeline.set_position(now_us)
