"""Summary tiles: one per domain or district, worst level and counts, read across the room.

The board observes the console model: refresh() (called by its owner on alarm changes) reads
only the alarm-book changes since the last call into an AreaSummaries, and repaints only the
tiles whose summary changed. Sensor health (bad quality, offline) is re-read once a second.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backend_client.model.area_summary import (
    GROUPINGS,
    UNASSIGNED,
    AreaSummaries,
    GroupSummary,
    offline_limits_us,
    sensor_health,
)
from backend_client.model.console_model import ConsoleModel
from widgets.summary_tile import SummaryTile
from widgets.vocabulary import domain_title

GROUPING_NAMES = {
    "domain": QT_TRANSLATE_NOOP("SummaryTiles", "Domains"),
    "area": QT_TRANSLATE_NOOP("SummaryTiles", "Districts"),
}
TILE_ASPECT = 1.7  # width / height a tile is laid out for; the grid stretches it to fill
HEALTH_PERIOD_S = 1.0  # sensor health moves with the clock, not with alarms: re-read this often


def grid_columns(n: int, width: float, height: float, aspect: float = TILE_ASPECT) -> int:
    """Columns that give n tiles of the given aspect the largest area in width x height."""
    if n <= 0 or width <= 0 or height <= 0:
        return max(1, n)
    best, best_area = 1, -1.0
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        cell_w, cell_h = width / cols, height / rows
        tile_w = min(cell_w, cell_h * aspect)
        area = tile_w * tile_w / aspect
        if area > best_area + 1e-9:
            best, best_area = cols, area
    return best


class SummaryTileBoard(QWidget):
    """A grid of SummaryTiles over the model; on a desk a tile opens its group's detail."""

    tileActivated = Signal(str, str)  # group_by ("domain" or "area"), group key
    groupingChanged = Signal(str)  # group_by

    def __init__(
        self,
        model: ConsoleModel,
        group_by: str = "domain",
        interactive: bool = True,
        parent: QWidget | None = None,
        show_toggle: bool | None = None,
    ) -> None:
        super().__init__(parent)
        if group_by not in GROUPINGS:
            raise ValueError(f"group_by must be one of {GROUPINGS}, got {group_by!r}")
        self.setObjectName("summaryTiles")
        self.setProperty("interactive", "true" if interactive else "false")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.model = model
        self.interactive = interactive
        self.summaries = AreaSummaries()
        self.tiles: dict[str, SummaryTile] = {}
        self._group_by = group_by
        self._catalog_seen: tuple[int, int] = (-1, -1)
        self._shown_version = -1
        self._shown_group_by = ""
        self._columns = 0
        self._health_due = 0.0
        self._offline_limits = offline_limits_us(())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bar = QWidget(self)
        self.bar.setObjectName("summaryTilesBar")
        self.title = QLabel(QCoreApplication.translate("SummaryTiles", "OVERVIEW"), self.bar)
        self.title.setObjectName("panelTitle")
        self.grouping = QButtonGroup(self)
        bar_layout = QHBoxLayout(self.bar)
        bar_layout.setContentsMargins(0, 0, 0, 0)
        bar_layout.addWidget(self.title)
        bar_layout.addStretch(1)
        self.group_buttons: dict[str, QPushButton] = {}
        for key in GROUPINGS:
            button = QPushButton(
                QCoreApplication.translate("SummaryTiles", GROUPING_NAMES[key]), self.bar
            )
            button.setObjectName("summaryGroupButton")
            button.setCheckable(True)
            button.setChecked(key == group_by)
            if not interactive:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.grouping.addButton(button)
            self.group_buttons[key] = button
            bar_layout.addWidget(button)
        self.grouping.buttonClicked.connect(self._grouping_clicked)
        self.bar.setVisible(interactive if show_toggle is None else show_toggle)
        self.grid_host = QWidget(self)
        self.grid_host.setObjectName("summaryTileGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid_host.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.bar)
        layout.addWidget(self.grid_host, 1)
        self.refresh()

    # --- the owner's calls ----------------------------------------------------------------------

    @property
    def group_by(self) -> str:
        return self._group_by

    def set_group_by(self, group_by: str) -> None:
        """Tiles per domain or per area (district); the counts for both are kept already."""
        if group_by not in GROUPINGS:
            raise ValueError(f"group_by must be one of {GROUPINGS}, got {group_by!r}")
        if group_by == self._group_by:
            return
        self._group_by = group_by
        self.group_buttons[group_by].setChecked(True)
        self._show()
        self.groupingChanged.emit(group_by)

    def refresh(self) -> None:
        """Apply alarm changes since the last call; nothing is repainted when nothing changed."""
        m = self.model
        catalog = (m.catalog_version, m.city_version)
        if catalog != self._catalog_seen:
            self._catalog_seen = catalog
            areas = {a.id: a.name for a in m.city.areas} if m.city is not None else {}
            self.summaries.set_catalog(m.sensors, areas)
            self._offline_limits = offline_limits_us(m.sensors)
            self._health_due = 0.0
        self.summaries.sync(m.alarms)
        now = time.monotonic()
        if now >= self._health_due:
            self._health_due = now + HEALTH_PERIOD_S
            latest = m.buffers.latest()
            if len(latest.quality) == len(self._offline_limits):
                now_us = int(m.clock() * 1e6)
                bad, offline = sensor_health(
                    latest.quality, latest.times_us, self._offline_limits, now_us
                )
                self.summaries.set_health(bad, offline)
        if self.summaries.version != self._shown_version or self._group_by != self._shown_group_by:
            self._show()

    def tile_name(self, summary: GroupSummary) -> str:
        """What a tile is called: the domain's translated name, or the district's own name."""
        if summary.key == UNASSIGNED:
            return QCoreApplication.translate("SummaryTiles", "Unassigned")
        if self._group_by == "domain":
            return domain_title(summary.key)  # the channel browser's names
        return summary.name or summary.key

    # --- internals ------------------------------------------------------------------------------

    def _show(self) -> None:
        self._shown_version = self.summaries.version
        self._shown_group_by = self._group_by
        summaries = self.summaries.summaries(self._group_by)
        if [s.key for s in summaries] != list(self.tiles):
            self._rebuild([s.key for s in summaries])
        for summary in summaries:
            self.tiles[summary.key].show_summary(summary, self.tile_name(summary))

    def _rebuild(self, keys: list[str]) -> None:
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = {}
        for key in keys:
            tile = SummaryTile(key, self.interactive, self.grid_host)
            tile.activated.connect(self._tile_activated)
            self.tiles[key] = tile
        self._columns = 0
        self._place()

    def _place(self) -> None:
        """Lay tiles out row by row in the column count that makes them largest."""
        size = self.grid_host.size()
        cols = grid_columns(len(self.tiles), size.width(), size.height())
        if cols == self._columns:
            return
        for i in range(self.grid.columnCount()):
            self.grid.setColumnStretch(i, 0)
        for i in range(self.grid.rowCount()):
            self.grid.setRowStretch(i, 0)
        self._columns = cols
        for i, tile in enumerate(self.tiles.values()):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, i // cols, i % cols)
            tile.show()
        rows = math.ceil(len(self.tiles) / cols) if self.tiles else 0
        for c in range(cols):
            self.grid.setColumnStretch(c, 1)
        for r in range(rows):
            self.grid.setRowStretch(r, 1)
        gap = max(4, min(16, min(size.width(), size.height()) // 90))
        self.grid.setSpacing(gap)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.grid_host and event.type() == QEvent.Type.Resize:
            self._columns = 0  # the spacing follows the size too
            self._place()
        return super().eventFilter(watched, event)

    def _grouping_clicked(self, button: QPushButton) -> None:
        for key, candidate in self.group_buttons.items():
            if candidate is button:
                self.set_group_by(key)

    def _tile_activated(self, key: str) -> None:
        if self.interactive:
            self.tileActivated.emit(self._group_by, key)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrow keys move between tiles in the grid's reading order."""
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -max(1, self._columns),
            Qt.Key.Key_Down: max(1, self._columns),
        }
        tiles = list(self.tiles.values())
        focused = self.focusWidget()
        if self.interactive and event.key() in steps and focused in tiles:
            i = tiles.index(focused) + steps[event.key()]
            if 0 <= i < len(tiles):
                tiles[i].setFocus(Qt.FocusReason.TabFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)
