"""The alarm queue's filter bar: domain, area, state, grouping by asset and the text size."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QPushButton, QWidget

from backend_client.model.alarm_queue import QueueFilter
from backend_client.model.alarm_queue_keys import STANDING_STATES, UNACKED_STATES
from backend_client.protocol import AlarmState
from widgets.vocabulary import domain_title

STATE_CHOICES = {  # English keys (the items' data); the box shows them translated
    QT_TRANSLATE_NOOP("AlarmQueue", "All states"): frozenset(),
    QT_TRANSLATE_NOOP("AlarmQueue", "Unacknowledged"): UNACKED_STATES,
    QT_TRANSLATE_NOOP("AlarmQueue", "Acknowledged"): frozenset({AlarmState.ACKED}),
    QT_TRANSLATE_NOOP("AlarmQueue", "Standing"): STANDING_STATES,
    QT_TRANSLATE_NOOP("AlarmQueue", "Cleared, loop open"): frozenset({AlarmState.NORMAL}),
    QT_TRANSLATE_NOOP("AlarmQueue", "Shelved / suppressed / OOS"): frozenset(
        {AlarmState.SHELVED, AlarmState.SUPPRESSED, AlarmState.OUT_OF_SERVICE}
    ),
}
FONT_SCALES = ("normal", "large", "xlarge", "wall")  # QSS sizes: alarmQueue[scale=...]
SCALE_NAMES = {  # what the size box shows; its items' data stay the QSS keys
    "normal": QT_TRANSLATE_NOOP("AlarmQueue", "normal"),
    "large": QT_TRANSLATE_NOOP("AlarmQueue", "large"),
    "xlarge": QT_TRANSLATE_NOOP("AlarmQueue", "xlarge"),
    "wall": QT_TRANSLATE_NOOP("AlarmQueue", "wall"),
}
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
        self.domain = self._combo("domainFilter", QT_TRANSLATE_NOOP("AlarmQueue", "All domains"))
        self.area = self._combo("areaFilter", QT_TRANSLATE_NOOP("AlarmQueue", "All areas"))
        self.state = self._combo("stateFilter", QT_TRANSLATE_NOOP("AlarmQueue", "Unacknowledged"))
        self.state.clear()
        for key in STATE_CHOICES:
            self.state.addItem(QCoreApplication.translate("AlarmQueue", key), key)
        self.group = QPushButton(QCoreApplication.translate("AlarmQueue", "Group (G)"), self)
        self.group.setObjectName("groupButton")
        self.group.setToolTip(
            QCoreApplication.translate("AlarmQueue", "Group alarms by asset (automatic in a flood)")
        )
        self.group.setCheckable(True)
        self.asset = QPushButton(self)
        self.asset.setObjectName("assetChip")
        self.asset.setToolTip(QCoreApplication.translate("AlarmQueue", "Back to every asset (Esc)"))
        self.asset.hide()
        self.scale = QComboBox(self)
        self.scale.setObjectName("scaleBox")
        self.scale.setToolTip(
            QCoreApplication.translate("AlarmQueue", "Text size (Ctrl++ / Ctrl+-)")
        )
        for scale in FONT_SCALES:
            self.scale.addItem(QCoreApplication.translate("AlarmQueue", SCALE_NAMES[scale]), scale)
        self.scale.setCurrentIndex(FONT_SCALES.index(DEFAULT_SCALE))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.domain, self.area, self.state, self.asset, self.group, self.scale):
            layout.addWidget(widget)
        for box in (self.domain, self.area, self.state):
            box.currentIndexChanged.connect(self._changed)
        self.asset.clicked.connect(lambda: self.open_asset(None))
        self.group.toggled.connect(self.groupingToggled)
        self.scale.currentIndexChanged.connect(
            lambda i: self.scaleChanged.emit(self.scale.itemData(i))
        )

    def _combo(self, name: str, everything: str) -> QComboBox:
        """everything: the English item 0 (all); the box shows it translated."""
        box = QComboBox(self)
        box.setObjectName(name)
        shown = QCoreApplication.translate("AlarmQueue", everything)
        box.setMinimumContentsLength(max(6, len(shown)))
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.addItem(shown)
        return box

    def set_choices(self, domains: list[str], areas: list[str]) -> None:
        """Offer the catalog's domains and areas, keeping a current choice that still exists."""
        for box, items, say in ((self.domain, domains, domain_title), (self.area, areas, str)):
            current = box.currentData() if box.currentIndex() > 0 else None
            everything = box.itemText(0)
            box.blockSignals(True)
            box.clear()
            box.addItem(everything)
            for item in items:  # the data is the key the queue filters on, the text is shown
                box.addItem(say(item), item)
            box.setCurrentIndex(items.index(current) + 1 if current in items else 0)
            box.blockSignals(False)
        self._changed()

    def open_asset(self, asset: str | None) -> None:
        """Narrow to one flood group's alarms (None: back to every asset)."""
        self._asset = asset
        self.asset.setVisible(asset is not None)
        chip = QCoreApplication.translate("AlarmQueue", "Asset: {asset}  ✕")
        self.asset.setText(chip.format(asset=asset) if asset else "")
        self._changed()

    def choose(self, domain: str | None = None, area: str | None = None) -> None:
        """Show one domain's or one area's alarms (a summary tile opened); None: all of them."""
        for box, key in ((self.domain, domain), (self.area, area)):
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(key), 0) if key is not None else 0)
            box.blockSignals(False)
        self._changed()

    @property
    def opened_asset(self) -> str | None:
        return self._asset

    def current(self) -> QueueFilter:
        def chosen(box: QComboBox) -> frozenset[str]:
            return frozenset({box.currentData()}) if box.currentIndex() > 0 else frozenset()

        return QueueFilter(
            domains=chosen(self.domain),
            areas=chosen(self.area),
            states=STATE_CHOICES.get(self.state.currentData(), frozenset()),
            asset=self._asset,
        )

    def _changed(self, _index: int = 0) -> None:
        self.filterChanged.emit(self.current())
