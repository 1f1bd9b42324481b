"""Drives a ReplaySource from the replay bar at display rate: the play clock, seeks coalesced to
one a frame, steps between alarms, loading an incident or a range, bookmarks and the training
score. The source feeds the one ConsoleModel every view reads, as the live client does."""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget

from backend_client.model.console_model import ConsoleModel
from backend_client.model.replay_timeline import alarm_marks
from backend_client.model.replay_training import ReplaySeat, TraineeAck
from backend_client.recording.incidents import Incident, IncidentLibrary
from backend_client.recording.replay import ReplaySource
from backend_client.recording.store import RecordingStore
from backend_client.recording.training import TrainingLog
from views.incident_library import IncidentLibraryView
from views.replay_bar import ReplayBar
from views.replay_bookmark import BookmarkDialog, default_span
from views.replay_training_view import TrainingScoreView

log = logging.getLogger(__name__)


class ReplaySession(QObject):
    """One recording replayed: owns the source, its clock timer and the replay panels."""

    rangeLoaded = Signal("qint64", "qint64")  # a new replay range (us)
    positionChanged = Signal("qint64")  # the replay time moved (us), at most once a frame
    rewound = Signal("qint64")  # the replay time went back (a seek, a loop, a new range)
    trainingAckRecorded = Signal(str)  # alarm id
    bookmarkSaved = Signal(object)  # the Incident

    def __init__(
        self,
        store: RecordingStore,
        model: ConsoleModel,
        seat: ReplaySeat,
        fps: float = 30.0,
        desk: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.model = model
        self.seat = seat
        self.desk = desk  # a wall seat shows no dialog and no training score
        self.library = IncidentLibrary(store)
        self.training = seat.log if isinstance(seat.log, TrainingLog) else None
        self.source: ReplaySource | None = None
        self.incident: Incident | None = None
        self.bar = ReplayBar(can_bookmark=desk)
        self.library_view = IncidentLibraryView(self.library)
        self.score_view: TrainingScoreView | None = TrainingScoreView() if desk else None
        self._pending_seek: int | None = None
        self._last_tick = time.monotonic()
        self._last_position: int | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(1000 / fps)))
        self._timer.timeout.connect(self.tick)
        seat.on_ack.append(self._ack_recorded)
        self._wire()

    def _wire(self) -> None:
        b = self.bar
        b.playRequested.connect(self.play)
        b.pauseRequested.connect(self.pause)
        b.speedChosen.connect(self.set_speed)
        b.stepRequested.connect(self.step)
        b.loopToggled.connect(self.set_loop)
        b.seekRequested.connect(self.request_seek)
        b.bookmarkRequested.connect(self.ask_bookmark)
        self.library_view.incidentChosen.connect(self.load_incident)
        if self.score_view is not None:
            self.positionChanged.connect(self.score_view.set_now)

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        self._last_tick = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def propose_incidents(self) -> list[Incident]:
        """Bring the library's proposals up to date with the recording, then list them."""
        proposed = self.library.propose(self.seat.reader)
        self.library_view.refresh()
        return proposed

    # --- what is replayed ------------------------------------------------------------------------

    def load_range(self, t0_us: int | None = None, t1_us: int | None = None) -> ReplaySource:
        """Replay [t0, t1] (None: the recording's own start or end), paused at t0."""
        return self._load(t0_us, t1_us, None)

    def load_incident(self, incident: Incident) -> ReplaySource:
        """Replay an incident's range from its start; the range is the incident."""
        return self._load(incident.start_us, incident.end_us, incident)

    def _load(
        self, t0_us: int | None, t1_us: int | None, incident: Incident | None
    ) -> ReplaySource:
        old = self.source
        source = ReplaySource(self.store, self.model, t0_us, t1_us)
        if old is not None:
            source.set_speed(old.speed)
            source.loop = old.loop
        self.source, self.incident = source, incident
        self._pending_seek = None
        self._last_position = None
        self.rewound.emit(source.now_us)
        marks = alarm_marks(self.store, source.start_us, source.end_us)
        title = (
            QCoreApplication.translate("ReplaySession", "Incident: {title}").format(
                title=incident.title
            )
            if incident is not None
            else QCoreApplication.translate("ReplaySession", "Whole recording")
        )
        self.bar.show_range(source.start_us, source.end_us, marks, title)
        self.seat.set_range(
            None if incident is None else incident.id, source.start_us, source.end_us
        )
        self.bar.timeline.set_training_acks([])
        if self.score_view is not None:
            self.score_view.clear()
        if incident is not None:
            self.library_view.select_incident(incident.id)
        self._show_state()
        self.rangeLoaded.emit(source.start_us, source.end_us)
        return source

    # --- the operator's intent -------------------------------------------------------------------

    def play(self) -> None:
        if self.source is not None:
            self.source.play()
            self._last_tick = time.monotonic()
            self._show_state()

    def pause(self) -> None:
        if self.source is not None:
            self.source.pause()
            self._show_state()

    def set_speed(self, speed: float) -> None:
        if self.source is not None:
            self.source.set_speed(speed)
            self._show_state()

    def set_loop(self, on: bool) -> None:
        if self.source is not None:
            self.source.loop = on
            self._show_state()

    def step(self, direction: int) -> int | None:
        """To the next (+1) or previous (-1) alarm raise; None when there is none that way."""
        if self.source is None:
            return None
        self._flush_seek()
        reached = (
            self.source.step_next_alarm() if direction > 0 else self.source.step_previous_alarm()
        )
        self._show_state()
        return reached

    def request_seek(self, t_us: int) -> None:
        """A click or a drag: the latest asked for is done at the next frame (one seek a frame)."""
        self._pending_seek = int(t_us)

    def seek(self, t_us: int) -> int | None:
        """Seek now (the keyboard, tests, the command line)."""
        self._pending_seek = int(t_us)
        self._flush_seek()
        self._show_state()
        return None if self.source is None else self.source.now_us

    # --- the clock -------------------------------------------------------------------------------

    def tick(self) -> None:
        """Once a frame: the pending seek, then the play clock by the wall time since last frame."""
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        if self.source is None:
            return
        try:
            self._flush_seek()
            if not self.bar.timeline.dragging:  # the playhead stays under the pointer
                self.source.tick(min(elapsed, 1.0))  # a stalled frame does not jump minutes
        except Exception:  # a bad chunk must not take the console's screen down
            log.exception("replay step failed; pausing")
            self.source.pause()
        self._show_state()

    def _flush_seek(self) -> None:
        if self._pending_seek is not None and self.source is not None:
            target, self._pending_seek = self._pending_seek, None
            if target != self.source.now_us:
                self.source.seek(target)

    def _show_state(self) -> None:
        s = self.source
        if s is None:
            return
        self.bar.show_state(s.now_us, s.playing, s.speed, s.loop)
        if s.now_us != self._last_position:
            if self._last_position is not None and s.now_us < self._last_position:
                self.rewound.emit(s.now_us)
            self._last_position = s.now_us
            self.positionChanged.emit(s.now_us)

    # --- bookmarks and training ------------------------------------------------------------------

    def ask_bookmark(self, parent: QWidget | None = None) -> Incident | None:
        """Desk seats: a dialog for title and notes, then the library keeps it."""
        if not self.desk or self.source is None:
            return None
        s = self.source
        dialog = BookmarkDialog(*default_span(s.now_us, s.start_us, s.end_us), parent or self.bar)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        start, end = dialog.span_us()
        return self.bookmark(dialog.title.text(), dialog.notes.toPlainText(), start, end)

    def bookmark(self, title: str, notes: str, start_us: int, end_us: int) -> Incident:
        incident = self.library.bookmark(title.strip(), notes, start_us, end_us)
        self.library_view.refresh()
        self.bookmarkSaved.emit(incident)
        return incident

    def _ack_recorded(self, ack: TraineeAck) -> None:
        self.bar.timeline.set_training_acks([a.replay_us for a in self.seat.acks.values()])
        self.trainingAckRecorded.emit(ack.alarm_id)
        self.refresh_score()

    def refresh_score(self) -> Any:
        """Score the session so far (desk seats show it)."""
        if self.training is None or self.seat.session_id is None or self.source is None:
            return None
        score = self.training.score(self.seat.session_id, self.seat.reader)
        if self.score_view is not None:
            self.score_view.show_score(score, self.source.now_us)
        return score
