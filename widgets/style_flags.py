"""Dynamic properties the QSS themes select on (level, link, mode, scale): set them, and make
Qt apply the style sheet again where they changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def set_style_flag(widget: QWidget, name: str, value: Any) -> bool:
    """Set a property the theme selects on; re-polish only when it changed (whether it did)."""
    if widget.property(name) == value:
        return False
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    return True


def repolish(root: QWidget) -> None:
    """Style root and everything in it again: a flag on root changes its descendants' rules."""
    for widget in (root, *root.findChildren(QWidget)):
        widget.style().unpolish(widget)
        widget.style().polish(widget)
