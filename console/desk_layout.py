"""Desk mode: each user's dock layout saved and restored, role presets, and the Layout menu.

The main window only creates a DeskLayouts; this module arranges its docks (by objectName), reads
and writes the files (console.desk_preset) and adds the menu when the window is first shown.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QBoxLayout,
    QDockWidget,
    QMainWindow,
    QMenu,
    QMenuBar,
    QTabWidget,
    QToolButton,
)

from console.config import ConsoleConfig
from console.desk_preset import (
    KNOWN_DOCKS,
    PRESETS,
    DeskLayoutError,
    DeskPreset,
    SavedLayout,
    UserLayouts,
    desk_settings_dir,
    load_preset,
    preset_for_role,
    preset_path,
    read_user_layouts,
    user_layout_path,
    write_user_layouts,
)

log = logging.getLogger(__name__)

STATE_VERSION = 1  # QMainWindow.saveState's version: bump when the docks change incompatibly
AREA = {
    "left": Qt.DockWidgetArea.LeftDockWidgetArea,
    "right": Qt.DockWidgetArea.RightDockWidgetArea,
    "top": Qt.DockWidgetArea.TopDockWidgetArea,
    "bottom": Qt.DockWidgetArea.BottomDockWidgetArea,
}
CORNER = {
    "top-left": Qt.Corner.TopLeftCorner,
    "top-right": Qt.Corner.TopRightCorner,
    "bottom-left": Qt.Corner.BottomLeftCorner,
    "bottom-right": Qt.Corner.BottomRightCorner,
}
MIN_GROUP_SHARE = 0.1  # a group left without a size never shrinks below this share
STATUS_MS = 5000


@dataclass(frozen=True, slots=True)
class _Placed:
    """An area as placed: its share across the window, its groups' shares and front docks."""

    area: str
    size: float
    group_sizes: tuple[float | None, ...]
    fronts: tuple[QDockWidget, ...]


def apply_preset(window: QMainWindow, preset: DeskPreset) -> None:
    """Arrange the window's docks as the preset says; docks the window lacks are skipped."""
    size = window.size()
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    known = [d for name, d in docks.items() if name in KNOWN_DOCKS]
    for dock in known:
        if dock.isFloating():
            dock.setFloating(False)
    for corner, area_name in preset.corners:
        window.setCorner(CORNER[corner], AREA[area_name])
    placed: list[_Placed] = []
    shown: set[str] = set()
    for area in preset.areas:
        sizes: list[float | None] = []
        fronts: list[QDockWidget] = []
        for group in area.groups:
            present = [docks[name] for name in group.docks if name in docks]
            if not present:
                continue
            # moved, never removed first: Qt deletes a removed dock that is then tabified
            window.addDockWidget(AREA[area.area], present[0], _along(area.area))
            for dock in present[1:]:
                window.tabifyDockWidget(present[0], dock)
            for dock in present:
                dock.show()
                shown.add(dock.objectName())
            fronts.append(docks[group.front] if group.front in docks else present[0])
            sizes.append(group.size)
        if fronts:
            placed.append(_Placed(area.area, area.size, tuple(sizes), tuple(fronts)))
    for dock in known:  # hidden where it was: Layout > Panels brings it back there
        if dock.objectName() not in shown:
            dock.hide()
    window.layout().activate()
    if window.size() != size and not window.isMaximized() and not window.isFullScreen():
        window.resize(size)  # a moment's minimum size while rearranging may have grown it
    _size_areas(window, placed)


def _size_areas(window: QMainWindow, placed: list[_Placed]) -> None:
    """Areas get their share across the window, groups their share along the area."""
    for area in placed:
        for front in area.fronts:
            front.raise_()
    width, height = window.width(), window.height()
    for area in placed:
        side = area.area in ("left", "right")
        across, along = (width, height) if side else (height, width)
        window.resizeDocks([area.fronts[0]], [round(area.size * across)], _across(area.area))
        if len(area.fronts) > 1:
            fixed = sum(s for s in area.group_sizes if s is not None)
            free = sum(1 for s in area.group_sizes if s is None)
            share = max((1 - fixed) / free, MIN_GROUP_SHARE) if free else 0.0
            px = [round((share if s is None else s) * along) for s in area.group_sizes]
            window.resizeDocks(list(area.fronts), px, _along(area.area))


def _along(area: str) -> Qt.Orientation:
    """Groups follow one another down the side areas and across the top and bottom ones."""
    return Qt.Orientation.Vertical if area in ("left", "right") else Qt.Orientation.Horizontal


def _across(area: str) -> Qt.Orientation:
    return Qt.Orientation.Horizontal if area in ("left", "right") else Qt.Orientation.Vertical


def window_mode(window: QMainWindow) -> str:
    """Live and replay windows have different docks, so each keeps its own saved layout."""
    return "replay" if window.findChild(QDockWidget, "dock-incidents") is not None else "live"


class DeskLayouts(QObject):
    """Restores the user's layout when the window first shows, saves it on request and on exit."""

    layoutRestored = Signal(str)  # "saved" or the preset's name, once the start layout settled

    def __init__(self, window: QMainWindow, user: str, role: str, settings_dir: Path) -> None:
        super().__init__(window)
        self.window = window
        self.user = user
        self.role = role
        self.path = user_layout_path(settings_dir, user)
        self.preset = preset_for_role(role)
        self.save_on_exit = True
        self.started = False
        self._pristine: tuple[str, bytes, bytes] | None = None  # nothing to save while equal
        self._exit_saved = False
        self._shown = False
        self.menu = QMenu(QCoreApplication.translate("DeskLayouts", "&Layout"), window)
        self.menu.setObjectName("deskLayoutMenu")
        self.menu.setToolTipsVisible(True)
        self._build_menu()
        window.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._save_on_exit)

    @classmethod
    def for_config(cls, window: QMainWindow, config: ConsoleConfig) -> DeskLayouts:
        """The configured user and role, settings under config.settings_dir or XDG's folder."""
        settings = desk_settings_dir(config.settings_dir, os.environ)
        return cls(window, config.user, config.role, settings)

    # --- start, save, restore ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """First show: the menu, then the layout once the window's own arrangement has run."""
        if watched is self.window:
            if event.type() == QEvent.Type.Show:
                self._exit_saved = False
                if not self._shown:
                    self._shown = True
                    self._install_menu()
                    QTimer.singleShot(0, self._start)
            elif event.type() == QEvent.Type.Close:
                self._save_on_exit()
        return False

    def _start(self) -> None:
        if self.started:
            return
        for area in AREA.values():  # tabs on top everywhere, as the right side already had them
            self.window.setTabPosition(area, QTabWidget.TabPosition.North)
        source = self.restore()
        QTimer.singleShot(0, lambda: self._settled(source))

    def _settled(self, source: str) -> None:
        self.started = True
        self._pristine = self._snapshot()
        self._check_preset_action()
        self.layoutRestored.emit(source)

    def restore(self) -> str:
        """The user's saved layout for this mode, else the role's preset; says which it used."""
        saved = self._read(f"using the {preset_for_role(self.role)} preset")
        if saved is not None:
            self.save_on_exit = saved.save_on_exit
            self.save_on_exit_action.setChecked(saved.save_on_exit)
        mode = window_mode(self.window)
        entry = saved.layouts.get(mode) if saved is not None else None
        if entry is not None:
            self.window.restoreGeometry(QByteArray(entry.geometry))
            if self.window.restoreState(QByteArray(entry.state), STATE_VERSION):
                self.preset = entry.preset
                return "saved"
            log.warning(
                "%s: Qt rejected the saved %s layout (another console version?); "
                "using the %s preset",
                self.path,
                mode,
                preset_for_role(self.role),
            )
        name = preset_for_role(self.role)
        self.apply_preset(name)
        return name

    def apply_preset(self, name: str) -> bool:
        """Arrange the docks as a bundled preset; False (logged) if its file is broken."""
        try:
            preset = load_preset(preset_path(name))
        except DeskLayoutError as exc:
            log.error("%s", exc)
            text = QCoreApplication.translate("DeskLayouts", "Preset not usable: {error}")
            self._tell(text.format(error=exc))
            return False
        apply_preset(self.window, preset)
        self.preset = name
        self._check_preset_action()
        return True

    def save(self) -> Path:
        """Write this window's layout for its mode into the user's file; other modes are kept."""
        saved = self._read() or UserLayouts(self.user)
        saved.user = self.user
        saved.save_on_exit = self.save_on_exit
        preset, state, geometry = self._snapshot()
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        saved.layouts[window_mode(self.window)] = SavedLayout(preset, state, geometry, stamp)
        write_user_layouts(self.path, saved)
        self._pristine = (preset, state, geometry)
        return self.path

    def _snapshot(self) -> tuple[str, bytes, bytes]:
        state = self.window.saveState(STATE_VERSION).data()
        return self.preset, bytes(state), bytes(self.window.saveGeometry().data())

    def _read(self, instead: str = "") -> UserLayouts | None:
        """The user's file; a corrupt one is reported (with what happens instead) and ignored."""
        try:
            return read_user_layouts(self.path)
        except DeskLayoutError as exc:
            log.warning("%s; %s", exc, instead or "writing a new one")
            return None

    def _save_on_exit(self) -> None:
        """Closing or quitting keeps what the user arranged (once; never raises)."""
        if self._exit_saved or not self.started or not self.save_on_exit:
            return
        self._exit_saved = True
        try:
            if self._snapshot() != self._pristine:
                self.save()
        except (OSError, RuntimeError) as exc:
            log.warning("could not save the desk layout to %s: %s", self.path, exc)

    # --- menu ------------------------------------------------------------------------------------

    def _build_menu(self) -> None:
        labels = {
            "operator": QCoreApplication.translate("DeskLayouts", "&Operator preset"),
            "supervisor": QCoreApplication.translate("DeskLayouts", "&Supervisor preset"),
            "trainer": QCoreApplication.translate("DeskLayouts", "&Trainer preset"),
        }
        self.preset_group = QActionGroup(self)
        self.preset_actions: dict[str, QAction] = {}
        for name in PRESETS:
            action = QAction(labels[name], self)
            action.setCheckable(True)
            action.setObjectName(f"deskPreset-{name}")
            action.triggered.connect(lambda _checked=False, n=name: self._chosen(n))
            self.preset_group.addAction(action)
            self.menu.addAction(action)
            self.preset_actions[name] = action
        self.menu.addSeparator()
        self.save_action = self.menu.addAction(
            QCoreApplication.translate("DeskLayouts", "&Save layout")
        )
        self.save_action.triggered.connect(self._save_clicked)
        self.reset_action = self.menu.addAction(
            QCoreApplication.translate("DeskLayouts", "&Reset layout")
        )
        self.reset_action.setToolTip(
            QCoreApplication.translate("DeskLayouts", "Back to the preset this layout came from")
        )
        self.reset_action.triggered.connect(self.reset)
        self.save_on_exit_action = self.menu.addAction(
            QCoreApplication.translate("DeskLayouts", "Save on &exit")
        )
        self.save_on_exit_action.setCheckable(True)
        self.save_on_exit_action.setChecked(True)
        self.save_on_exit_action.toggled.connect(self._save_on_exit_toggled)
        self.menu.addSeparator()
        self.panels_menu = self.menu.addMenu(QCoreApplication.translate("DeskLayouts", "&Panels"))
        self.panels_menu.aboutToShow.connect(self._fill_panels)

    def _install_menu(self) -> None:
        """In the menu bar; in replay the replay bar holds that place, so at its end instead."""
        holder = self.window.menuWidget()
        if holder is None or isinstance(holder, QMenuBar):
            self.window.menuBar().addMenu(self.menu)
            return
        layout = holder.layout()
        if isinstance(layout, QBoxLayout):
            bar = QMenuBar(holder)
            bar.setObjectName("deskLayoutMenuBar")
            bar.addMenu(self.menu)
            layout.addWidget(bar)
            return
        button = QToolButton(self.window)
        button.setText(self.menu.title().replace("&", ""))
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.window.statusBar().addPermanentWidget(button)

    def _fill_panels(self) -> None:
        self.panels_menu.clear()
        for dock in self.window.findChildren(QDockWidget):
            self.panels_menu.addAction(dock.toggleViewAction())

    def _check_preset_action(self) -> None:
        action = self.preset_actions.get(self.preset)
        if action is not None:
            action.setChecked(True)

    def _chosen(self, name: str) -> None:
        if self.apply_preset(name):
            text = QCoreApplication.translate("DeskLayouts", "Layout: {name}")
            self._tell(text.format(name=self.preset_actions[name].text().replace("&", "")))

    def reset(self) -> None:
        """Back to the preset the current layout came from."""
        self._chosen(self.preset)

    def _save_clicked(self) -> None:
        try:
            path = self.save()
        except OSError as exc:
            log.warning("could not save the desk layout to %s: %s", self.path, exc)
            text = QCoreApplication.translate("DeskLayouts", "Layout not saved: {error}")
            self._tell(text.format(error=exc))
            return
        self._tell(
            QCoreApplication.translate("DeskLayouts", "Layout saved to {path}").format(path=path)
        )

    def _save_on_exit_toggled(self, on: bool) -> None:
        """Remembered at once in the user's file, keeping the layouts already saved there."""
        if on == self.save_on_exit:
            return
        self.save_on_exit = on
        saved = self._read() or UserLayouts(self.user)
        saved.save_on_exit = on
        try:
            write_user_layouts(self.path, saved)
        except OSError as exc:
            log.warning("could not write %s: %s", self.path, exc)

    def _tell(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)
