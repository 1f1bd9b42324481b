"""Searchable channel browser: domain, then asset, then sensor."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from backend_client.city import Sensor
from widgets.vocabulary import count, domain_title

CHANNEL_ROLE = Qt.ItemDataRole.UserRole + 1
DOMAIN_TITLES = {  # English; shown through widgets.vocabulary.domain_title
    "gas": "Gas",
    "water": "Water supply",
    "drainage": "Drainage",
    "heating": "Heating",
    "bridge": "Bridges",
    "tunnel": "Utility tunnels",
}


class ChannelTree(QWidget):
    """Picks channels; the search matches sensor name, id, type and asset."""

    channelSelected = Signal(int)
    channelActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            QCoreApplication.translate("ChannelTree", "Search sensors (name, id, type)…")
        )
        self.search.setClearButtonEnabled(True)
        self._items = QStandardItemModel(self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._items)
        self._proxy.setRecursiveFilteringEnabled(True)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)
        self.tree = QTreeView(self)
        self.tree.setModel(self._proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.search.textChanged.connect(self._filter)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.activated.connect(self._activated)
        self._by_channel: dict[int, QStandardItem] = {}

    def set_sensors(self, sensors: tuple[Sensor, ...]) -> None:
        """Rebuild the tree from a catalog."""
        self._items.clear()
        self._by_channel.clear()
        domains: dict[str, QStandardItem] = {}
        assets: dict[tuple[str, str], QStandardItem] = {}
        root = self._items.invisibleRootItem()
        for channel, sensor in enumerate(sensors):
            domain = domains.get(sensor.domain)
            if domain is None:
                domain = QStandardItem(domain_title(sensor.domain))
                domain.setToolTip(sensor.domain)
                domains[sensor.domain] = domain
                root.appendRow(domain)
            key = (sensor.domain, sensor.asset)
            asset = assets.get(key)
            if asset is None:
                asset = QStandardItem(sensor.asset)
                asset.setToolTip(sensor.asset)
                assets[key] = asset
                domain.appendRow(asset)
            item = QStandardItem(f"{sensor.name}  ({sensor.unit})")
            item.setToolTip(f"{sensor.name} {sensor.id} {sensor.type} {sensor.asset}")
            item.setData(channel, CHANNEL_ROLE)
            asset.appendRow(item)
            self._by_channel[channel] = item
        for domain in domains.values():
            domain.setText(f"{domain.text()}  ·  {count(_leaf_count(domain))}")

    def select_channel(self, channel: int) -> None:
        """Reveal and highlight a channel selected elsewhere."""
        item = self._by_channel.get(channel)
        if item is None:
            self.tree.clearSelection()
            return
        index = self._proxy.mapFromSource(item.index())
        if index.isValid() and index != self.tree.currentIndex():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _filter(self, text: str) -> None:
        self._proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _channel_of(self, index: QModelIndex) -> int | None:
        value = self._proxy.data(index, CHANNEL_ROLE)
        return value if isinstance(value, int) else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        channel = self._channel_of(current)
        if channel is not None:
            self.channelSelected.emit(channel)

    def _activated(self, index: QModelIndex) -> None:
        channel = self._channel_of(index)
        if channel is not None:
            self.channelActivated.emit(channel)


def _leaf_count(item: QStandardItem) -> int:
    return sum(item.child(i).rowCount() for i in range(item.rowCount()))
