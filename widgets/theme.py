"""Themes: a QSS file plus a palette for what QSS cannot reach (plots, the 3D scene)."""

from __future__ import annotations

from importlib.resources import files
from typing import Any


def apply_theme(app: Any, name: str) -> None:
    """Style the whole application with the named theme from resources/styles."""
    app.setStyleSheet((files("resources") / "styles" / f"{name}.qss").read_text("utf-8"))
