"""One screen of a video wall: full screen, no chrome, no cursor, pages that turn on a timer."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QScreen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from console.page_cycle import PageCycle
from console.wall_layout import WallScreen
from console.wall_pages import BuiltPage
from widgets.style_flags import repolish

PAGE_TITLES = {
    "alarm_queue": QT_TRANSLATE_NOOP("WallWindow", "Alarm queue"),
    "scene": QT_TRANSLATE_NOOP("WallWindow", "Utility tunnels and pipe network (3D)"),
    "plots": QT_TRANSLATE_NOOP("WallWindow", "Live trends"),
    "kpis": QT_TRANSLATE_NOOP("WallWindow", "Alarm KPIs"),
    "tiles": QT_TRANSLATE_NOOP("WallWindow", "Lifelines at a glance"),
}


def page_title(view: str) -> str:
    """The translated default title of a view."""
    return QCoreApplication.translate("WallWindow", PAGE_TITLES[view])


class WallWindow(QWidget):
    """Views are built by the seat; this window frames them, turns pages and holds for alarms."""

    pageChanged = Signal(int)

    def __init__(
        self,
        spec: WallScreen,
        index: int,
        status: QWidget,
        needs_attention: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
        scale: str = "large",
    ) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("wallWindow")
        self.setProperty("scale", scale)  # the theme sizes the type by it (wall: 4K screens)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.spec = spec
        self.index = index
        self.pages: list[BuiltPage] = []
        self._needs_attention = needs_attention
        self._clock = clock
        self.cycle = PageCycle(len(spec.pages), spec.cycle_s, clock())
        self.title = QLabel(self)
        self.title.setObjectName("wallTitle")
        self.position = QLabel(self)
        self.position.setObjectName("wallPagePosition")
        self.hold = QLabel(self)
        self.hold.setObjectName("wallHold")
        self.hold.hide()
        top = QHBoxLayout()
        top.setContentsMargins(12, 4, 12, 4)
        top.addWidget(self.title, 1)
        top.addWidget(self.hold)
        top.addWidget(self.position)
        self.stack = QStackedWidget(self)
        self.status = status
        status.setParent(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(top)
        column.addWidget(self.stack, 1)
        column.addWidget(status)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.update_page)

    def add_page(self, built: BuiltPage) -> None:
        self.pages.append(built)
        self.stack.addWidget(built.widget)
        if len(self.pages) == 1:
            self._show(0)

    def start(self) -> None:
        """Turn pages from now on."""
        self._timer.start()
        self.update_page()

    def place_on(self, screen: QScreen) -> None:
        """Cover the whole of screen, without window chrome."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        repolish(self)  # styled for this screen's scale
        self.showFullScreen()

    def attention_page(self) -> int | None:
        """The first alarm queue page, where a held screen shows what needs attention."""
        return next((i for i, p in enumerate(self.pages) if p.page.view == "alarm_queue"), None)

    def update_page(self) -> None:
        """Follow the cycle; hold (on the alarm queue if this screen has one) for an alarm."""
        held = self._needs_attention() and self.cycle.cycles
        page = self.cycle.page(self._clock(), held, self.attention_page() if held else None)
        self.hold.setVisible(held)
        if held:
            self.hold.setText(
                QCoreApplication.translate("WallWindow", "HOLD · alarm needs attention")
            )
        if page != self.stack.currentIndex():
            self._show(page)

    def _show(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        built = self.pages[page]
        self.title.setText(built.page.title or page_title(built.page.view))
        self.position.setText(f"{page + 1} / {len(self.pages)}" if len(self.pages) > 1 else "")
        self.pageChanged.emit(page)

    def current_page(self) -> BuiltPage:
        return self.pages[self.stack.currentIndex()]

    def show_view(self, view: str) -> bool:
        """Bring the first page showing view to the front (until the cycle turns); False if none."""
        for i, built in enumerate(self.pages):
            if built.page.view == view:
                self._show(i)
                return True
        return False

    def gl_frames(self) -> list[tuple[QWidget, QImage]]:
        """Frames of the 3D views on the page shown, for screenshots."""
        return self.current_page().frames()
