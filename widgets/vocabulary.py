"""Words and formats the Qt-free core hands to the screen, translated and localised where shown.

The core (backend_client) keys states, levels, domains and loop stages in English; a widget
shows them through these functions so every view says them the same way in every language.
Tables hold QT_TRANSLATE_NOOP markers (pyside6-lupdate extracts them, context "Vocabulary");
the translation happens at display time, after install_language has loaded the .qm files.
Dates, times and numbers go through the default QLocale that install_language sets.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QLocale

from backend_client.protocol import AlarmState, LinkState, LoopStage

LEVEL_SYMBOLS = {  # shape and numeral, never colour alone
    1: QT_TRANSLATE_NOOP("Vocabulary", "▲ I"),
    2: QT_TRANSLATE_NOOP("Vocabulary", "◆ II"),
    3: QT_TRANSLATE_NOOP("Vocabulary", "■ III"),
    4: QT_TRANSLATE_NOOP("Vocabulary", "● IV"),
}
LEVEL_WORDS = {  # "a level I alarm"
    1: QT_TRANSLATE_NOOP("Vocabulary", "I"),
    2: QT_TRANSLATE_NOOP("Vocabulary", "II"),
    3: QT_TRANSLATE_NOOP("Vocabulary", "III"),
    4: QT_TRANSLATE_NOOP("Vocabulary", "IV"),
}
LEVEL_NAMES = {  # tooltips and legends: the grade with its colour
    1: QT_TRANSLATE_NOOP("Vocabulary", "Level I (red)"),
    2: QT_TRANSLATE_NOOP("Vocabulary", "Level II (orange)"),
    3: QT_TRANSLATE_NOOP("Vocabulary", "Level III (yellow)"),
    4: QT_TRANSLATE_NOOP("Vocabulary", "Level IV (blue)"),
}
STATE_SHORT = {  # the alarm table's state column
    AlarmState.UNACK: QT_TRANSLATE_NOOP("Vocabulary", "UNACK"),
    AlarmState.ACKED: QT_TRANSLATE_NOOP("Vocabulary", "ACKED"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("Vocabulary", "RTN UNACK"),
    AlarmState.SHELVED: QT_TRANSLATE_NOOP("Vocabulary", "SHELVED"),
    AlarmState.SUPPRESSED: QT_TRANSLATE_NOOP("Vocabulary", "SUPPRESSED"),
    AlarmState.OUT_OF_SERVICE: QT_TRANSLATE_NOOP("Vocabulary", "OUT OF SVC"),
    AlarmState.NORMAL: QT_TRANSLATE_NOOP("Vocabulary", "NORMAL"),
}
STATE_LONG = {  # the details panel's header
    AlarmState.NORMAL: QT_TRANSLATE_NOOP("Vocabulary", "Returned to normal"),
    AlarmState.UNACK: QT_TRANSLATE_NOOP("Vocabulary", "Unacknowledged"),
    AlarmState.ACKED: QT_TRANSLATE_NOOP("Vocabulary", "Acknowledged"),
    AlarmState.RTN_UNACK: QT_TRANSLATE_NOOP("Vocabulary", "Returned, unacknowledged"),
    AlarmState.SHELVED: QT_TRANSLATE_NOOP("Vocabulary", "Shelved"),
    AlarmState.SUPPRESSED: QT_TRANSLATE_NOOP("Vocabulary", "Suppressed"),
    AlarmState.OUT_OF_SERVICE: QT_TRANSLATE_NOOP("Vocabulary", "Out of service"),
}
LOOP_STAGES = {
    LoopStage.NONE: QT_TRANSLATE_NOOP("Vocabulary", "not started"),
    LoopStage.ACKED: QT_TRANSLATE_NOOP("Vocabulary", "acknowledged"),
    LoopStage.VERIFIED: QT_TRANSLATE_NOOP("Vocabulary", "verified"),
    LoopStage.DISPATCHED: QT_TRANSLATE_NOOP("Vocabulary", "dispatched"),
    LoopStage.FEEDBACK: QT_TRANSLATE_NOOP("Vocabulary", "feedback received"),
    LoopStage.CLOSED: QT_TRANSLATE_NOOP("Vocabulary", "closed"),
}
VERDICTS = {
    "real": QT_TRANSLATE_NOOP("Vocabulary", "real"),
    "false": QT_TRANSLATE_NOOP("Vocabulary", "false"),
}
ACTIONS_DONE = {  # a loop step, past tense: history rows and "done" messages
    "ack": QT_TRANSLATE_NOOP("Vocabulary", "Acknowledged"),
    "shelve": QT_TRANSLATE_NOOP("Vocabulary", "Shelved"),
    "unshelve": QT_TRANSLATE_NOOP("Vocabulary", "Unshelved"),
    "suppress": QT_TRANSLATE_NOOP("Vocabulary", "Suppressed"),
    "out_of_service": QT_TRANSLATE_NOOP("Vocabulary", "Out of service"),
    "verify": QT_TRANSLATE_NOOP("Vocabulary", "Verified"),
    "dispatch": QT_TRANSLATE_NOOP("Vocabulary", "Dispatched"),
    "feedback": QT_TRANSLATE_NOOP("Vocabulary", "Feedback"),
    "close": QT_TRANSLATE_NOOP("Vocabulary", "Closed"),
}
ACTION_VERBS = {  # "Role 'wall' may not <verb> this alarm."
    "ack": QT_TRANSLATE_NOOP("Vocabulary", "acknowledge"),
    "shelve": QT_TRANSLATE_NOOP("Vocabulary", "shelve"),
    "unshelve": QT_TRANSLATE_NOOP("Vocabulary", "unshelve"),
    "suppress": QT_TRANSLATE_NOOP("Vocabulary", "suppress"),
    "out_of_service": QT_TRANSLATE_NOOP("Vocabulary", "take out of service"),
    "verify": QT_TRANSLATE_NOOP("Vocabulary", "verify"),
    "dispatch": QT_TRANSLATE_NOOP("Vocabulary", "dispatch"),
    "feedback": QT_TRANSLATE_NOOP("Vocabulary", "feedback"),
    "close": QT_TRANSLATE_NOOP("Vocabulary", "close"),
}
STEP_LABELS = {  # the details panel's step buttons, by PANEL_STEPS key
    "ack": QT_TRANSLATE_NOOP("Vocabulary", "Acknowledge"),
    "verify_real": QT_TRANSLATE_NOOP("Vocabulary", "Verify real"),
    "verify_false": QT_TRANSLATE_NOOP("Vocabulary", "Verify false"),
    "dispatch": QT_TRANSLATE_NOOP("Vocabulary", "Dispatch"),
    "feedback": QT_TRANSLATE_NOOP("Vocabulary", "Feedback"),
    "close": QT_TRANSLATE_NOOP("Vocabulary", "Close loop"),
    "shelve": QT_TRANSLATE_NOOP("Vocabulary", "Shelve"),
    "unshelve": QT_TRANSLATE_NOOP("Vocabulary", "Unshelve"),
}
DOMAIN_CODES = {  # short, upper case: table cells and header chips
    "gas": QT_TRANSLATE_NOOP("Vocabulary", "GAS"),
    "water": QT_TRANSLATE_NOOP("Vocabulary", "WATER"),
    "drainage": QT_TRANSLATE_NOOP("Vocabulary", "DRAINAGE"),
    "heating": QT_TRANSLATE_NOOP("Vocabulary", "HEATING"),
    "bridge": QT_TRANSLATE_NOOP("Vocabulary", "BRIDGE"),
    "tunnel": QT_TRANSLATE_NOOP("Vocabulary", "TUNNEL"),
}
DOMAIN_TITLES = {  # the channel browser's top level
    "gas": QT_TRANSLATE_NOOP("Vocabulary", "Gas"),
    "water": QT_TRANSLATE_NOOP("Vocabulary", "Water supply"),
    "drainage": QT_TRANSLATE_NOOP("Vocabulary", "Drainage"),
    "heating": QT_TRANSLATE_NOOP("Vocabulary", "Heating"),
    "bridge": QT_TRANSLATE_NOOP("Vocabulary", "Bridges"),
    "tunnel": QT_TRANSLATE_NOOP("Vocabulary", "Utility tunnels"),
}
LINK_STATES = {
    LinkState.CONNECTING: QT_TRANSLATE_NOOP("Vocabulary", "CONNECTING"),
    LinkState.LIVE: QT_TRANSLATE_NOOP("Vocabulary", "LIVE"),
    LinkState.STALE: QT_TRANSLATE_NOOP("Vocabulary", "STALE"),
    LinkState.DOWN: QT_TRANSLATE_NOOP("Vocabulary", "DOWN"),
    LinkState.REPLAY: QT_TRANSLATE_NOOP("Vocabulary", "REPLAY"),
}
ROLES = {  # the backend policy's role keys
    "operator": QT_TRANSLATE_NOOP("Vocabulary", "operator"),
    "supervisor": QT_TRANSLATE_NOOP("Vocabulary", "supervisor"),
    "trainer": QT_TRANSLATE_NOOP("Vocabulary", "trainer"),
    "admin": QT_TRANSLATE_NOOP("Vocabulary", "admin"),
    "wall": QT_TRANSLATE_NOOP("Vocabulary", "wall"),
}
ISO_DATE = "yyyy-MM-dd"
CLOCK_TIME = "HH:mm:ss"  # 24 h everywhere: a control room never reads AM/PM


def _say(table: dict, key: object, fallback: str) -> str:
    text = table.get(key)
    return fallback if text is None else QCoreApplication.translate("Vocabulary", text)


def level_symbol(level: int) -> str:
    return _say(LEVEL_SYMBOLS, level, str(level))


def level_word(level: int) -> str:
    return _say(LEVEL_WORDS, level, str(level))


def level_name(level: int) -> str:
    return _say(LEVEL_NAMES, level, str(level))


def state_short(state: str) -> str:
    return _say(STATE_SHORT, state, str(state).upper())


def state_long(state: str) -> str:
    return _say(STATE_LONG, state, str(state))


def loop_stage(stage: str) -> str:
    return _say(LOOP_STAGES, stage, str(stage))


def verdict(word: str) -> str:
    return _say(VERDICTS, word, word)


def action_done(action: str) -> str:
    return _say(ACTIONS_DONE, action, action)


def action_verb(action: str) -> str:
    return _say(ACTION_VERBS, action, action)


def step_label(key: str, fallback: str) -> str:
    return _say(STEP_LABELS, key, fallback)


def domain_code(domain: str) -> str:
    return _say(DOMAIN_CODES, domain, domain.upper())


def domain_title(domain: str) -> str:
    return _say(DOMAIN_TITLES, domain, domain)


def link_state(state: str) -> str:
    return _say(LINK_STATES, state, str(state).upper())


def role_name(role: str) -> str:
    return _say(ROLES, role, role)


# --- local formats ----------------------------------------------------------------------------


def date_pattern() -> str:
    """The locale's short date where it keeps the full year (zh_CN yyyy/M/d), else ISO."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else ISO_DATE


def _datetime(time_s: float) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(time_s * 1000))  # local time, as the wall clock


def date_time(time_s: float, seconds: bool = True) -> str:
    """Local date and 24-hour time of a Unix time in seconds."""
    pattern = f"{date_pattern()} {CLOCK_TIME if seconds else 'HH:mm'}"
    return QLocale().toString(_datetime(time_s), pattern)


def time_of_day(time_s: float) -> str:
    """Local 24-hour time (the date is elsewhere or in a tip)."""
    return QLocale().toString(_datetime(time_s), CLOCK_TIME)


def date_time_us(time_us: int, seconds: bool = True) -> str:
    return date_time(time_us / 1e6, seconds)


def time_of_day_us(time_us: int) -> str:
    return time_of_day(time_us / 1e6)


def number(value: float, decimals: int = 0) -> str:
    """A figure with the locale's decimal point and digit grouping."""
    return QLocale().toString(float(value), "f", decimals)


def count(n: int) -> str:
    """A count with the locale's digit grouping."""
    return QLocale().toString(int(n))
