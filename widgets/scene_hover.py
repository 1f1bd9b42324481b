"""What the 3D view's tooltip says about a sensor: name, live value and unit, and its state.

No widgets and no VTK (QtCore only translates), so the wording is tested without a window. The
state is said in words, never by colour alone: "Level II alarm, unacknowledged", "Bad quality
(fault)", "Offline".
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from backend_client.city import Sensor
from backend_client.protocol import AlarmRecord, AlarmState, Quality

from .scene_style import BAD_QUALITY, LEVEL_I, LEVEL_IV, NORMAL, OFFLINE, current

CONTEXT = "SceneHover"
LEVEL_WORDS = {
    1: QT_TRANSLATE_NOOP("SceneHover", "Level I alarm"),
    2: QT_TRANSLATE_NOOP("SceneHover", "Level II alarm"),
    3: QT_TRANSLATE_NOOP("SceneHover", "Level III alarm"),
    4: QT_TRANSLATE_NOOP("SceneHover", "Level IV alarm"),
}
QUALITY_WORDS = {
    Quality.OVER_RANGE: QT_TRANSLATE_NOOP("SceneHover", "over range"),
    Quality.FAULT: QT_TRANSLATE_NOOP("SceneHover", "device fault"),
    Quality.MAINTENANCE: QT_TRANSLATE_NOOP("SceneHover", "maintenance"),
    Quality.CALIBRATION: QT_TRANSLATE_NOOP("SceneHover", "calibration"),
    Quality.STOPPED: QT_TRANSLATE_NOOP("SceneHover", "stopped"),
    Quality.POWER_FAILURE: QT_TRANSLATE_NOOP("SceneHover", "power failure"),
    Quality.MISSING: QT_TRANSLATE_NOOP("SceneHover", "missing"),
}

ALARM_STATE_WORDS = {
    AlarmState.UNACK: QT_TRANSLATE_NOOP("SceneHover", "unacknowledged"),
    AlarmState.ACKED: QT_TRANSLATE_NOOP("SceneHover", "acknowledged"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("SceneHover", "returned to normal, unacknowledged"),
}


def _tr(text: str) -> str:
    """Translate a table entry (its QT_TRANSLATE_NOOP mark is what lupdate reads)."""
    return QCoreApplication.translate(CONTEXT, text)


def format_value(value: float, unit: str) -> str:
    """A reading with 3-4 significant digits and its unit; '—' when there is none."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def state_words(code: int, quality: int, alarm: AlarmRecord | None) -> str:
    """The sensor's display state as words."""
    if LEVEL_I <= code <= LEVEL_IV:
        text = _tr(LEVEL_WORDS[code])
        if alarm is not None and alarm.state in ALARM_STATE_WORDS:
            text = QCoreApplication.translate("SceneHover", "{level}, {state}").format(
                level=text, state=_tr(ALARM_STATE_WORDS[alarm.state])
            )
        return text
    if code == BAD_QUALITY:
        flag = _tr(QUALITY_WORDS.get(Quality(quality), QT_TRANSLATE_NOOP("SceneHover", "flagged")))
        return QCoreApplication.translate("SceneHover", "Bad quality ({flag})").format(flag=flag)
    if code == OFFLINE:
        return QCoreApplication.translate("SceneHover", "Offline (no recent data)")
    return QCoreApplication.translate("SceneHover", "Normal")


def hover_text(
    sensor: Sensor,
    value: float,
    quality: int,
    code: int,
    alarm: AlarmRecord | None = None,
) -> str:
    """Rich-text tooltip: bold name, id, value with unit, and the state with a colour chip."""
    colours = current()  # the chip in the state's colour, the id muted, as the theme says
    code = code if 0 <= code < len(colours.sensor_hex) else NORMAL
    chip = f'<span style="color:{colours.sensor_hex[code]}">&#9679;</span>'
    value_text = format_value(value, sensor.unit) if code != OFFLINE else "—"
    lines = [
        f"<b>{html.escape(sensor.name)}</b>",
        f'<span style="color:{colours.hover_id}">{html.escape(sensor.id)}</span>',
        QCoreApplication.translate("SceneHover", "Value: {value}").format(
            value=f"<b>{html.escape(value_text)}</b>"
        ),
        f"{chip} {html.escape(state_words(code, quality, alarm))}",
    ]
    return "<br>".join(lines)
