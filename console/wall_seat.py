"""A video-wall seat: one window per screen of a layout, all fed by one model and one bridge,
read-only (the wall role), following each new level I/II alarm on every screen at once."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication

from backend_client.model.console_model import ConsoleModel
from backend_client.protocol import AlarmState
from console.config import ConsoleConfig
from console.modal_guard import ModalGuard
from console.model_bridge import ModelBridge
from console.page_cycle import needs_attention
from console.wall_layout import WallLayout, assign_screens
from console.wall_pages import build_page, text_scale
from console.wall_window import WallWindow
from views.status_view import StatusView

log = logging.getLogger(__name__)
FOLLOW_LEVELS = (1, 2)


def wall_screens(app: QApplication) -> list[QScreen]:
    """The system's screens numbered as a wall is seen: by rows, top to bottom, each row left to
    right (Qt lists the primary screen first, which says nothing about where it hangs)."""
    return sorted(app.screens(), key=lambda s: (s.geometry().y(), s.geometry().x()))


class WallSeat:
    """Builds and shows the wall; owns nothing of the data path (the model, bridge and client
    are the same a desk seat uses)."""

    def __init__(
        self,
        app: QApplication,
        layout: WallLayout,
        model: ConsoleModel,
        bridge: ModelBridge,
        config: ConsoleConfig,
        history: object = None,
        user: str = "",
        role: str = "wall",
    ) -> None:
        self.layout = layout
        self.model = model
        self.bridge = bridge
        self.guard = ModalGuard(app)
        screens = wall_screens(app)
        self.targets = [screens[i] for i in assign_screens(layout, [s.name() for s in screens])]
        self._attention = False
        self._followed: set[tuple[str, int]] = set()
        self.windows: list[WallWindow] = []
        for i, (spec, screen) in enumerate(zip(layout.screens, self.targets, strict=True)):
            status = StatusView(model)
            status.set_seat(user, role)
            height = screen.geometry().height()
            window = WallWindow(
                spec, i, status, lambda: self._attention, scale=text_scale("auto", height)
            )
            window.setWindowTitle(f"Lifeline wall · {layout.name} · {i + 1}")
            for page in spec.pages:
                window.add_page(
                    build_page(page, model, bridge, config, history, height, window.stack)
                )
            bridge.statsUpdated.connect(status.refresh)
            bridge.linkChanged.connect(lambda _s, v=status: v.refresh())
            self.windows.append(window)
        bridge.alarmsChanged.connect(self._alarms_changed)

    def show(self) -> None:
        """Each window full screen on its own screen, pages turning."""
        for window, screen in zip(self.windows, self.targets, strict=True):
            window.place_on(screen)
            window.start()

    def _alarms_changed(self) -> None:
        """Hold the pages while an alarm needs attention; bring each new severe alarm into view."""
        active = self.model.alarms.active()
        self._attention = needs_attention(active, self.layout.hold_levels)
        unacked = {(a.id, int(a.level)): a for a in active if a.state == AlarmState.UNACK}
        fresh = [
            a for key, a in unacked.items() if key[1] in FOLLOW_LEVELS and key not in self._followed
        ]  # an escalation (IV to II, say) is new too
        self._followed = set(unacked)
        if fresh:
            newest = max(fresh, key=lambda a: (-int(a.level), a.raised_us))
            self.follow(newest.channel)
        for window in self.windows:
            window.update_page()

    def follow(self, channel: int) -> None:
        """Every screen brings the sensor into view: the 3D flies to it, trends show it."""
        if not 0 <= channel < len(self.model.sensors):
            return
        self.model.select(channel)
        for window in self.windows:
            for built in window.pages:
                if built.on_focus is not None:
                    built.on_focus(channel)

    def screenshots(self, path: str | Path) -> list[Path]:
        """One PNG per screen, path's name with -1, -2, ... before the suffix."""
        from console.screenshot import grab_window, save_png

        path = Path(path)
        out = []
        for i, window in enumerate(self.windows, start=1):
            target = path.with_name(f"{path.stem}-{i}{path.suffix or '.png'}")
            out.append(save_png(grab_window(window, window.gl_frames()), target))
        return out

    def shutdown(self) -> None:
        """Stop the 3D render threads before Qt goes away."""
        for window in self.windows:
            for built in window.pages:
                scene = built.extras.get("scene")
                if scene is not None:
                    scene.scene.shutdown()
        self.guard.remove()
