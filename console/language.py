"""The seat's language: Qt translations, local formats and a font that has the script's glyphs."""

from __future__ import annotations

from typing import Any


def install_language(app: Any, language: str) -> None:
    """Load the translation for language into app (en: none), parented to app."""
