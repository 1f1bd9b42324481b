"""The alarm table's Qt model: presents an AlarmQueue, a row per alarm (per asset in a flood)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from backend_client.city import Sensor
from backend_client.model.alarm_queue import AlarmQueue, AssetGroup, QueueEntry
from backend_client.protocol import AlarmRecord, AlarmState
from widgets.alarm_cells import (
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    FONT,
    FOREGROUND,
    LOOK,
    ROLES,
    TOOLTIP,
)
from widgets.theme import active_theme
from widgets.vocabulary import (
    count,
    domain_code,
    level_symbol,
    number,
    state_short,
    time_of_day_us,
)

LEVEL_SYMBOL = {1: "▲ I", 2: "◆ II", 3: "■ III", 4: "● IV"}
STATE_TEXT = {
    AlarmState.UNACK: "UNACK",
    AlarmState.ACKED: "ACKED",
    AlarmState.RTN_UNACK: "RTN UNACK",
    AlarmState.SHELVED: "SHELVED",
    AlarmState.SUPPRESSED: "SUPPRESSED",
    AlarmState.OUT_OF_SERVICE: "OUT OF SVC",
    AlarmState.NORMAL: "NORMAL",
}
COLUMNS = (  # English keys; headerData translates them
    QT_TRANSLATE_NOOP("AlarmTable", "Level"),
    QT_TRANSLATE_NOOP("AlarmTable", "State"),
    QT_TRANSLATE_NOOP("AlarmTable", "1st"),
    QT_TRANSLATE_NOOP("AlarmTable", "Raised"),
    QT_TRANSLATE_NOOP("AlarmTable", "Domain"),
    QT_TRANSLATE_NOOP("AlarmTable", "Area"),
    QT_TRANSLATE_NOOP("AlarmTable", "Sensor"),
    QT_TRANSLATE_NOOP("AlarmTable", "Value"),
    QT_TRANSLATE_NOOP("AlarmTable", "Limit"),
    QT_TRANSLATE_NOOP("AlarmTable", "Message"),
)
ALARM_ONLY_COLUMNS = (7, 8)  # live value and limit mean nothing for a group
GROUP_COLUMNS = (
    QT_TRANSLATE_NOOP("AlarmTable", "Level"),
    QT_TRANSLATE_NOOP("AlarmTable", "State"),
    QT_TRANSLATE_NOOP("AlarmTable", "Count"),
    QT_TRANSLATE_NOOP("AlarmTable", "Newest"),
    QT_TRANSLATE_NOOP("AlarmTable", "Domain"),
    QT_TRANSLATE_NOOP("AlarmTable", "Area"),
    QT_TRANSLATE_NOOP("AlarmTable", "Asset"),
    "",
    "",
    QT_TRANSLATE_NOOP("AlarmTable", "Alarms"),
)
FLASH_COLUMNS = (0, 1)
EXERCISE_TAG = QT_TRANSLATE_NOOP("AlarmTable", "EXERCISE · ")  # a drill says so on every seat
VALUE_COLUMN = 7
# sample texts that size each column for the current font (the last column stretches)
COLUMN_SAMPLES = (  # column_samples() widens them for longer translations
    "◆ III",
    "SUPPRESSED",
    "1ST",
    "00:00:00",
    "DRAINAGE",
    "Binhu North",
    "T1 GAS Z10 methane",
    "000.00 %LEL",
    "00 %LEL",
    "",
)


def theme_colours() -> dict[str, QColor]:
    """The running theme's palette as QColors: QSS cannot reach colours a model supplies."""
    theme = active_theme()
    return {key: theme.qcolor(key) for key in theme.colours}


_Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NONES = (None,) * len(COLUMNS)
_ALIGNMENTS = tuple(RIGHT_ALIGNED if c in (7, 8) else None for c in range(len(COLUMNS)))


def local_time(us: int) -> str:
    """Wall clocks show local time; the wire is UTC."""
    return time_of_day_us(us)


def column_samples() -> tuple[tuple[str, ...], ...]:
    """Per column, COLUMN_SAMPLES' text and the translated texts it may show: the widest wins."""
    shown = (
        [level_symbol(level) for level in LEVEL_SYMBOL],
        [state_short(s) for s in STATE_TEXT],
        [first_out_text()],
        [],
        [domain_code(d) for d in ("drainage", "heating", "tunnel", "bridge")],
    )
    return tuple(
        (sample, *(shown[c] if c < len(shown) else ())) for c, sample in enumerate(COLUMN_SAMPLES)
    )


def first_out_text() -> str:
    return QCoreApplication.translate("AlarmTable", "1ST")


class AlarmTableModel(QAbstractTableModel):
    """Presents the queue; one layoutChanged per batch, persistent indexes follow their alarm."""

    def __init__(self, queue: AlarmQueue | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue if queue is not None else AlarmQueue()
        self.grouped = False
        self._by_channel: tuple[Sensor, ...] = ()
        self._flash_on = True
        self._colour = theme_colours()  # levels, row text, first-out, flash-off
        self._live: np.ndarray = np.zeros(0, dtype=np.float32)
        self._bold = QFont()
        self._bold.setBold(True)
        self._rows: dict[int, dict[int, tuple] | None] = {}  # painted rows, cleared on change

    # --- inputs ---------------------------------------------------------------------------------

    def set_sensors(self, sensors: tuple[Sensor, ...]) -> None:
        """Units and names by channel; the queue itself is told by the view."""
        self._by_channel = sensors
        self._rows.clear()

    def set_base_font(self, font: QFont) -> None:
        """Unacknowledged rows are bold in the table's own (scaled) font."""
        self._bold = QFont(font)
        self._bold.setBold(True)
        self._rows.clear()

    def set_live_values(self, values: np.ndarray) -> None:
        """Latest value per channel; the Value column shows it, the Limit column the threshold."""
        self._live = values
        self._rows.clear()
        if self.rowCount() and not self.grouped:
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(0, VALUE_COLUMN), self.index(last, VALUE_COLUMN))

    def set_flash(self, on: bool) -> None:
        """The flash phase of unacknowledged rows; the table repaints only those rows."""
        self._flash_on = on
        self._rows.clear()

    def update_queue(self, mutate: Callable[[], T]) -> T:
        """Run a change of the queue (batch, filter, reset) as one layout change."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        keys = [self.row_key(i.row()) for i in persistent]
        result = mutate()
        self._rows.clear()
        self.changePersistentIndexList(
            persistent,
            [self._index_of(key, old.column()) for key, old in zip(keys, persistent, strict=True)],
        )
        self.layoutChanged.emit()
        return result

    def set_grouped(self, grouped: bool) -> None:
        """Flood view: one row per asset with counts."""
        if grouped != self.grouped:
            self.beginResetModel()
            self.grouped = grouped
            self._rows.clear()
            self.endResetModel()
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # --- rows -----------------------------------------------------------------------------------

    def row_key(self, row: int) -> str | None:
        """What a row shows, stable across re-sorts: an alarm id or an asset."""
        if self.grouped:
            group = self.queue.group_at(row)
            return None if group is None else "asset:" + group.asset
        entry = self.queue.entry_at(row)
        return None if entry is None else "alarm:" + entry.id

    def _index_of(self, key: str | None, column: int) -> QModelIndex:
        if key is None:
            return QModelIndex()
        kind, _, name = key.partition(":")
        if kind == "asset" and self.grouped:
            row = self.queue.group_row_of(name)
        elif kind == "alarm" and not self.grouped:
            row = self.queue.row_of(name)
        else:
            row = -1
        return self.index(row, column) if row >= 0 else QModelIndex()

    def entry_at(self, row: int) -> QueueEntry | None:
        return None if self.grouped else self.queue.entry_at(row)

    def group_at(self, row: int) -> AssetGroup | None:
        return self.queue.group_at(row) if self.grouped else None

    def alarm_at(self, row: int) -> AlarmRecord | None:
        entry = self.entry_at(row)
        return None if entry is None else entry.alarm

    def row_of(self, alarm_id: str) -> int:
        return -1 if self.grouped else self.queue.row_of(alarm_id)

    def row_flashes(self, row: int) -> bool:
        if self.grouped:
            group = self.queue.group_at(row)
            return group is not None and group.unacked > 0
        entry = self.queue.entry_at(row)
        return entry is not None and entry.unacked

    # --- QAbstractTableModel --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return self.queue.group_count() if self.grouped else len(self.queue)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            text = (GROUP_COLUMNS if self.grouped else COLUMNS)[section]
            return QCoreApplication.translate("AlarmTable", text) if text else text
        return None

    def cells(self, row: int) -> dict[int, tuple] | None:
        """Every role of every column of a row, built once per change (the delegate reads it)."""
        cells = self._rows.get(row)
        if cells is None and row not in self._rows:
            cells = self._rows[row] = self._row_cells(row)
        return cells

    def data(self, index: _Index, role: int = DISPLAY):
        role = int(role)
        if role not in ROLES:
            return None
        row = index.row()
        cells = self._rows.get(row)
        if cells is None:
            cells = self._rows[row] = self._row_cells(row)
        return None if cells is None else cells[role][index.column()]

    def _row_cells(self, row: int) -> dict[int, tuple] | None:
        """Every role of every column of a row at once: Qt asks per cell and role, we build once."""
        if self.grouped:
            group = self.queue.group_at(row)
            return None if group is None else self._group_cells(group)
        entry = self.queue.entry_at(row)
        return None if entry is None else self._alarm_cells(entry)

    def _level_colours(self, level: int, unacked: bool) -> tuple[QColor, QColor]:
        if unacked and not self._flash_on:
            return self._colour["table.flash_off"], self._colour["table.flash_off_text"]
        c = self._colour
        bg = c.get(f"level.{level}", c["table.flash_off"])
        return bg, c.get(f"level_text.{level}", c["table.flash_off_text"])

    def _alarm_cells(self, entry: QueueEntry) -> dict[int, tuple]:
        alarm = entry.alarm
        ch = alarm.channel
        sensor = self._by_channel[ch] if 0 <= ch < len(self._by_channel) else None
        unit = sensor.unit if sensor else ""
        live = self._live[ch] if 0 <= ch < len(self._live) else np.nan
        value = float(live) if np.isfinite(live) else alarm.value
        first = self.queue.is_first_out(entry)
        exercise = QCoreApplication.translate("AlarmTable", EXERCISE_TAG) if alarm.exercise else ""
        texts = (
            level_symbol(alarm.level),
            state_short(alarm.state),
            first_out_text() if first else "",
            local_time(alarm.raised_us),
            domain_code(entry.domain),
            entry.area,
            sensor.name if sensor else alarm.sensor,
            f"{number(value, 2)} {unit}",
            f"{alarm.limit:g} {unit}",
            exercise + alarm.text,
        )
        level_bg, level_fg = self._level_colours(alarm.level, entry.unacked)
        c = self._colour
        if entry.unacked:
            fg = c["table.unacked_text"]
        else:
            acked = alarm.state == AlarmState.ACKED
            fg = c["table.acked_text" if acked else "table.set_aside_text"]
        first_bg = c["table.first_out"] if first else None
        first_fg = c["table.first_out_text"] if first else fg
        first_tip = QCoreApplication.translate("AlarmTable", "First-out alarm of its burst. ")
        tip = (first_tip if first else "") + texts[-1]
        return {
            LOOK: (alarm.level, alarm.state, first, entry.unacked and not self._flash_on),
            DISPLAY: texts,
            BACKGROUND: (level_bg, level_bg, first_bg, *_NONES[3:]),
            FOREGROUND: (level_fg, level_fg, first_fg, *(fg,) * 7),
            FONT: (self._bold,) * len(COLUMNS) if entry.unacked else _NONES,
            ALIGNMENT: _ALIGNMENTS,
            TOOLTIP: (tip,) * len(COLUMNS),
        }

    def _group_cells(self, group: AssetGroup) -> dict[int, tuple]:
        unacked = QCoreApplication.translate("AlarmTable", "{n} UNACK").format(n=group.unacked)
        summary = QCoreApplication.translate("AlarmTable", "{n} alarms on {asset} · Enter to open")
        texts = (
            level_symbol(group.level),
            unacked if group.unacked else state_short(AlarmState.ACKED),
            f"×{count(group.count)}",
            local_time(group.newest_us),
            domain_code(group.domain),
            group.area,
            group.asset,
            "",
            "",
            summary.format(n=count(group.count), asset=group.asset),
        )
        level_bg, level_fg = self._level_colours(group.level, group.unacked > 0)
        fg = self._colour["table.unacked_text" if group.unacked else "table.acked_text"]
        return {
            LOOK: ("group", group.level, group.unacked > 0, group.unacked and not self._flash_on),
            DISPLAY: texts,
            BACKGROUND: (level_bg, level_bg, *_NONES[2:]),
            FOREGROUND: (level_fg, level_fg, *(fg,) * 8),
            FONT: (self._bold,) * len(COLUMNS) if group.unacked else _NONES,
            ALIGNMENT: _NONES,
            TOOLTIP: (texts[-1],) * len(COLUMNS),
        }
