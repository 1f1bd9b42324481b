"""The scene's words in the operator's language: the English tables of scene_style and
scene_values are data keys, marked here for lupdate and translated where they are shown."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .scene_style import STATE_TEXT
from .scene_values import QUANTITY_NAMES, ValueMode

CONTEXT = "SceneWords"

# lupdate reads these; the lookups below translate the tables' own English (a test checks that
# every entry of STATE_TEXT, the networks and QUANTITY_NAMES has a translation).
_MARKED = (
    QT_TRANSLATE_NOOP("SceneWords", "Normal"),
    QT_TRANSLATE_NOOP("SceneWords", "Level I, most severe"),
    QT_TRANSLATE_NOOP("SceneWords", "Level II"),
    QT_TRANSLATE_NOOP("SceneWords", "Level III"),
    QT_TRANSLATE_NOOP("SceneWords", "Level IV"),
    QT_TRANSLATE_NOOP("SceneWords", "Bad quality"),
    QT_TRANSLATE_NOOP("SceneWords", "Offline / no data"),
    QT_TRANSLATE_NOOP("SceneWords", "gas"),
    QT_TRANSLATE_NOOP("SceneWords", "water"),
    QT_TRANSLATE_NOOP("SceneWords", "drainage"),
    QT_TRANSLATE_NOOP("SceneWords", "heating"),
    QT_TRANSLATE_NOOP("SceneWords", "power"),
    QT_TRANSLATE_NOOP("SceneWords", "telecom"),
    QT_TRANSLATE_NOOP("SceneWords", "pressure"),
    QT_TRANSLATE_NOOP("SceneWords", "flow"),
    QT_TRANSLATE_NOOP("SceneWords", "temperature"),
    QT_TRANSLATE_NOOP("SceneWords", "level"),
    QT_TRANSLATE_NOOP("SceneWords", "methane"),
)


def _tr(text: str) -> str:
    """Translate a table entry (its QT_TRANSLATE_NOOP mark is what lupdate reads)."""
    return QCoreApplication.translate(CONTEXT, text)


def state_text(code: int) -> str:
    """A display state in words ('Level II'), as the legend lists it."""
    return _tr(STATE_TEXT[code])


def network_text(domain: str) -> str:
    """A pipe network's name, capitalised in English ('Gas')."""
    text = _tr(domain)
    return text.capitalize() if text == domain else text


def quantity_text(sensor_type: str) -> str:
    """A measured quantity ('pressure' for PRESS); an unknown type in lower case."""
    return _tr(QUANTITY_NAMES.get(sensor_type, sensor_type.lower()))


def mode_label(mode: ValueMode) -> str:
    """'Water pressure': what colours the pipes in a value mode."""
    text = QCoreApplication.translate("SceneWords", "{network} {quantity}")
    return text.format(network=network_text(mode.domain), quantity=quantity_text(mode.type))


def mode_title(mode: ValueMode) -> str:
    """'Water pressure (MPa)': the colour bar's title and the toolbar's choice."""
    if not mode.unit:
        return mode_label(mode)
    text = QCoreApplication.translate("SceneWords", "{label} ({unit})")
    return text.format(label=mode_label(mode), unit=mode.unit)


def pipe_note(mode: ValueMode) -> str:
    """The legend's pipe column in value mode: what colours the pipes, and where the key is."""
    text = QCoreApplication.translate("SceneWords", "{label}\nsee the colour bar")
    return text.format(label=mode_label(mode))
