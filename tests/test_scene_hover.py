"""The 3D tooltip's words: name, live value with unit, and the state never by colour alone."""

from __future__ import annotations

import dataclasses
import math

from backend_client.city import Limits, Sensor
from backend_client.protocol import AlarmRecord, AlarmState, Quality
from widgets.scene_hover import format_value, hover_text, state_words
from widgets.scene_style import BAD_QUALITY, LEVEL_II, NORMAL, OFFLINE

SENSOR = Sensor(
    id="T1/GAS/Z03/CH4/01",
    name="T1 gas Z03 methane",
    domain="tunnel",
    type="CH4",
    unit="%LEL",
    position=(0.0, 0.0, -3.0),
    asset="T1",
    area="A1",
    limits=Limits(),
)


def _alarm(state: AlarmState) -> AlarmRecord:
    return AlarmRecord(
        id="a1",
        channel=0,
        sensor=SENSOR.id,
        level=LEVEL_II,
        state=state,
        active=True,
        value=21.0,
        limit=20.0,
        raised_us=1,
        changed_us=1,
    )


def test_tooltip_names_the_sensor_and_gives_value_with_unit():
    text = hover_text(SENSOR, 12.345, Quality.GOOD, NORMAL)
    assert "T1 gas Z03 methane" in text and "T1/GAS/Z03/CH4/01" in text
    assert "12.35 %LEL" in text
    assert "Normal" in text


def test_alarm_state_is_said_in_words_with_its_acknowledgement():
    unack = hover_text(SENSOR, 21.0, Quality.GOOD, LEVEL_II, _alarm(AlarmState.UNACK))
    assert "Level II alarm, unacknowledged" in unack
    acked = state_words(LEVEL_II, Quality.GOOD, _alarm(AlarmState.ACKED))
    assert acked == "Level II alarm, acknowledged"


def test_bad_quality_and_offline_say_so_and_offline_shows_no_value():
    assert state_words(BAD_QUALITY, Quality.FAULT, None) == "Bad quality (device fault)"
    text = hover_text(SENSOR, 3.0, Quality.GOOD, OFFLINE)
    assert "Offline" in text and "3 %LEL" not in text


def test_missing_value_reads_as_a_dash_and_names_are_escaped():
    assert format_value(math.nan, "m") == "—"
    odd = dataclasses.replace(SENSOR, name="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in hover_text(odd, 1.0, Quality.GOOD, NORMAL)
