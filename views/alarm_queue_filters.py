"""The alarm queue's filter bar: domain, area, state, grouping by asset and the text size."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QPushButton, QWidget

from backend_client.model.alarm_queue import QueueFilter
from backend_client.model.alarm_queue_keys import STANDING_STATES, UNACKED_STATES
from backend_client.protocol import AlarmState

STATE_CHOICES = {
    "All states": frozenset(),
    "Unacknowledged": UNACKED_STATES,
    "Acknowledged": frozenset({AlarmState.ACKED}),
    "Standing": STANDING_STATES,
    "Cleared, loop open": frozenset({AlarmState.NORMAL}),
    "Shelved / suppressed / OOS": frozenset(
        {AlarmState.SHELVED, AlarmState.SUPPRESSED, AlarmState.OUT_OF_SERVICE}
    ),
}
FONT_SCALES = ("normal", "large", "xlarge", "wall")  # QSS sizes: alarmQueue[scale=...]
DEFAULT_SCALE = "large"


class QueueFilterBar(QFrame):
    """Choices become a QueueFilter; the queue does the filtering. Item 0 of a box means all."""

    filterChanged = Signal(object)  # QueueFilter
    groupingToggled = Signal(bool)
    scaleChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmFilterBar")
        self._asset: str | None = None
        self.domain = self._combo("domainFilter", "All domains")
        self.area = self._combo("areaFilter", "All areas")
        self.state = self._combo("stateFilter", "Unacknowledged")
        self.state.clear()
        self.state.addItems(list(STATE_CHOICES))
        self.group = QPushButton("Group (G)", self)
        self.group.setObjectName("groupButton")
        self.group.setToolTip("Group alarms by asset (automatic in a flood)")
        self.group.setCheckable(True)
        self.asset = QPushButton(self)
        self.asset.setObjectName("assetChip")
        self.asset.setToolTip("Back to every asset (Esc)")
        self.asset.hide()
        self.scale = QComboBox(self)
        self.scale.setObjectName("scaleBox")
        self.scale.setToolTip("Text size (Ctrl++ / Ctrl+-)")
        self.scale.addItems(list(FONT_SCALES))
        self.scale.setCurrentText(DEFAULT_SCALE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.domain, self.area, self.state, self.asset, self.group, self.scale):
            layout.addWidget(widget)
        for box in (self.domain, self.area, self.state):
            box.currentIndexChanged.connect(self._changed)
        self.asset.clicked.connect(lambda: self.open_asset(None))
        self.group.toggled.connect(self.groupingToggled)
        self.scale.currentTextChanged.connect(self.scaleChanged)

    def _combo(self, name: str, everything: str) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName(name)
        box.setMinimumContentsLength(max(6, len(everything)))
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.addItem(everything)
        return box

    def set_choices(self, domains: list[str], areas: list[str]) -> None:
        """Offer the catalog's domains and areas, keeping a current choice that still exists."""
        for box, items in ((self.domain, domains), (self.area, areas)):
            current = box.currentText() if box.currentIndex() > 0 else None
            everything = box.itemText(0)
            box.blockSignals(True)
            box.clear()
            box.addItems([everything, *items])
            box.setCurrentIndex(items.index(current) + 1 if current in items else 0)
            box.blockSignals(False)
        self._changed()

    def open_asset(self, asset: str | None) -> None:
        """Narrow to one flood group's alarms (None: back to every asset)."""
        self._asset = asset
        self.asset.setVisible(asset is not None)
        self.asset.setText(f"Asset: {asset}  ✕" if asset else "")
        self._changed()

    @property
    def opened_asset(self) -> str | None:
        return self._asset

    def current(self) -> QueueFilter:
        def chosen(box: QComboBox) -> frozenset[str]:
            return frozenset({box.currentText()}) if box.currentIndex() > 0 else frozenset()

        return QueueFilter(
            domains=chosen(self.domain),
            areas=chosen(self.area),
            states=STATE_CHOICES.get(self.state.currentText(), frozenset()),
            asset=self._asset,
        )

    def _changed(self, _index: int = 0) -> None:
        self.filterChanged.emit(self.current())
