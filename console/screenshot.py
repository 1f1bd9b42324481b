"""Saves the whole window to PNG with the 3D view composed in from VTK's own frame buffer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget


def grab_window(window: QWidget, gl_widgets: list[tuple[QWidget, QImage]]) -> QImage:
    """QWidget.grab() leaves OpenGL views black, so paint each view's own frame over its place."""
    image = window.grab().toImage()
    painter = QPainter(image)
    ratio = image.devicePixelRatio()
    for widget, frame in gl_widgets:
        if not widget.isVisible() or frame.isNull():
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        target = widget.size()
        scaled = frame.scaled(int(target.width() * ratio), int(target.height() * ratio))
        scaled.setDevicePixelRatio(ratio)
        painter.drawImage(top_left, scaled)
    painter.end()
    return image


def save_png(image: QImage, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write screenshot {path}")
    return path
