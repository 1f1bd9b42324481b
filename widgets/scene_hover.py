"""What the 3D view's tooltip says about a sensor: name, live value and unit, and its state.

Pure Python (no Qt, no VTK), so the wording is tested without a window. The state is said in
words, never by colour alone: "Level II alarm, unacknowledged", "Bad quality (fault)", "Offline".
"""

from __future__ import annotations

import html
import math

from backend_client.city import Sensor
from backend_client.protocol import AlarmRecord, AlarmState, Quality

from .scene_style import BAD_QUALITY, LEVEL_I, LEVEL_IV, NORMAL, OFFLINE, ROMAN, SENSOR_HEX

QUALITY_WORDS = {
    Quality.OVER_RANGE: "over range",
    Quality.FAULT: "device fault",
    Quality.MAINTENANCE: "maintenance",
    Quality.CALIBRATION: "calibration",
    Quality.STOPPED: "stopped",
    Quality.POWER_FAILURE: "power failure",
    Quality.MISSING: "missing",
}

ALARM_STATE_WORDS = {
    AlarmState.UNACK: "unacknowledged",
    AlarmState.ACKED: "acknowledged",
    AlarmState.RTN_UNACK: "returned to normal, unacknowledged",
}


def format_value(value: float, unit: str) -> str:
    """A reading with 3-4 significant digits and its unit; '—' when there is none."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def state_words(code: int, quality: int, alarm: AlarmRecord | None) -> str:
    """The sensor's display state as words."""
    if LEVEL_I <= code <= LEVEL_IV:
        text = f"Level {ROMAN[code]} alarm"
        if alarm is not None and alarm.state in ALARM_STATE_WORDS:
            text += f", {ALARM_STATE_WORDS[alarm.state]}"
        return text
    if code == BAD_QUALITY:
        return f"Bad quality ({QUALITY_WORDS.get(Quality(quality), 'flagged')})"
    if code == OFFLINE:
        return "Offline (no recent data)"
    return "Normal"


def hover_text(
    sensor: Sensor,
    value: float,
    quality: int,
    code: int,
    alarm: AlarmRecord | None = None,
) -> str:
    """Rich-text tooltip: bold name, id, value with unit, and the state with a colour chip."""
    code = code if 0 <= code < len(SENSOR_HEX) else NORMAL
    chip = f'<span style="color:{SENSOR_HEX[code]}">&#9679;</span>'
    value_text = format_value(value, sensor.unit) if code != OFFLINE else "—"
    lines = [
        f"<b>{html.escape(sensor.name)}</b>",
        f'<span style="color:#9fb3c8">{html.escape(sensor.id)}</span>',
        f"Value: <b>{html.escape(value_text)}</b>",
        f"{chip} {html.escape(state_words(code, quality, alarm))}",
    ]
    return "<br>".join(lines)
