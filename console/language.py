"""The seat's language: Qt translations, local formats and a font that has the script's glyphs."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase

log = logging.getLogger(__name__)

TRANSLATOR_NAME = "lifelineTranslator"  # ours, so a second install replaces them
ORIGINAL_FONT = "lifelineOriginalFont"  # app property: the font before a script font was set
# Simplified Chinese faces, best first: Noto/Source Han ship with scripts/setup.sh; the rest
# are what other Linux, Windows and macOS seats already have.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)
LOCALES = {"en": "en_US", "zh_CN": "zh_CN"}


def translations_dir() -> Path:
    """Where the packaged .ts/.qm files live (resources/translations)."""
    return Path(str(files("resources") / "translations"))


def translation_files(language: str) -> list[Path]:
    """Every lifeline*_<language>.qm (the console's, the 3D and replay views'), sorted."""
    folder = translations_dir()
    return sorted(folder.glob(f"lifeline*_{language}.qm")) if folder.is_dir() else []


def cjk_family(available: list[str] | None = None) -> str | None:
    """The first installed family that covers Simplified Chinese, or None."""
    families = set(QFontDatabase.families() if available is None else available)
    return next((f for f in CJK_FAMILIES if f in families), None)


def install_language(app: Any, language: str) -> None:
    """Load the translation for language into app (en: none), parented to app."""
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.setParent(None)  # gone from findChildren now; Python frees it
    QLocale.setDefault(QLocale(LOCALES.get(language, language)))
    _restore_font(app)
    if language == "en":
        return
    for path in _qt_translations(language) + translation_files(language):
        translator = QTranslator(app)
        translator.setObjectName(TRANSLATOR_NAME)
        if translator.load(str(path)):
            app.installTranslator(translator)
        else:
            log.warning("translation %s could not be loaded", path)
            translator.deleteLater()
    if not translation_files(language):
        folder = translations_dir()
        log.warning("no lifeline*_%s.qm in %s: the console stays in English", language, folder)
    if language.startswith("zh"):
        _use_cjk_font(app)


def _qt_translations(language: str) -> list[Path]:
    """Qt's own strings (dialog buttons, context menus), where the Qt build ships them."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    path = folder / f"qtbase_{language}.qm"
    return [path] if path.is_file() else []


def _use_cjk_font(app: Any) -> None:
    """Han glyphs from a CJK face first; Latin falls through to the usual families."""
    family = cjk_family()
    if family is None:
        log.warning(
            "no Simplified Chinese font found (tried %s): Chinese text may show as boxes; "
            "install fonts-noto-cjk",
            ", ".join(CJK_FAMILIES),
        )
        return
    original = app.font()
    app.setProperty(ORIGINAL_FONT, QFont(original))
    font = QFont(original)
    font.setFamilies([family, *original.families()])
    app.setFont(font)
    log.info("Chinese text uses the %s font", family)


def _restore_font(app: Any) -> None:
    """Undo a script font set by an earlier install (tests switch languages in one process)."""
    original = app.property(ORIGINAL_FONT)
    if isinstance(original, QFont):
        app.setFont(original)
        app.setProperty(ORIGINAL_FONT, None)
