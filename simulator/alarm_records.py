"""An alarm's wire record: its working state plus the sensor's text and the alarm's settings."""

from __future__ import annotations

from backend_client.city import Sensor
from backend_client.protocol import AlarmRecord
from simulator.alarm_settings import AlarmSettings
from simulator.alarm_state import AlarmWork

ROMAN = ("", "I", "II", "III", "IV")


def _fmt(value: float) -> str:
    size = abs(value)
    digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 1 else 3
    return f"{value:.{digits}f}"


def alarm_record(alarm: AlarmWork, sensor: Sensor, settings: AlarmSettings) -> AlarmRecord:
    """The record every alarm message and snapshot carries, text included."""
    sign = (">=" if alarm.high else "<=") if alarm.active else ("<" if alarm.high else ">")
    what = f"level {ROMAN[alarm.level]}" + ("" if alarm.active else " cleared")
    text = f"{sensor.type} {_fmt(alarm.value)} {sensor.unit} {sign} {alarm.limit:g} ({what})"
    return AlarmRecord(
        id=sensor.id,
        channel=alarm.channel,
        sensor=sensor.id,
        level=alarm.level,
        state=alarm.state,
        active=alarm.active,
        value=alarm.value,
        limit=alarm.limit,
        raised_us=alarm.raised_us,
        changed_us=alarm.changed_us,
        text=text,
        ack_user=alarm.ack_user,
        ack_comment=alarm.ack_comment,
        ack_us=alarm.ack_us,
        shelved_until_us=alarm.shelved_until_us,
        guidance=settings.guidance,
        responsible=settings.responsible,
        latched=alarm.latched,
        chattering=alarm.chattering,
        loop=alarm.loop,
        verdict=alarm.verdict,
        steps=tuple(alarm.steps),
        exercise=alarm.exercise,
    )
