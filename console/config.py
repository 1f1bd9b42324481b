"""Typed console configuration, loaded from a TOML file and overridden by the command line."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from backend_client.model.alarm_kpis import parse_shifts


class ConfigError(ValueError):
    """A configuration file with an unknown field or a value of the wrong type."""


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    """Everything a seat can set; defaults suit the bundled demo."""

    pub: str = "tcp://127.0.0.1:5556"
    rpc: str = "tcp://127.0.0.1:5557"
    user: str = "operator"
    role: str = "supervisor"
    display_fps: float = 30.0
    buffer_capacity: int = 4096
    plot_window_s: float = 600.0
    follow_alarms: bool = True
    theme: str = "dark"
    shifts: str = "08-16,16-24,00-08"  # local-time shifts for the alarm KPIs (HH or HH:MM)
    # alarm queue type size: normal, large, xlarge, wall; auto = normal on a desk monitor, large
    # on a wall-sized screen (1,800 px tall or more), one size up for the wall role
    alarm_text: str = "auto"
    record: str = ""  # record this seat into a SQLite file or database URL ("" = do not)
    language: str = "en"  # en or zh_CN: Qt translations, local date/time/number formats, fonts
    settings_dir: str = ""  # per-user desk layouts etc. ("" = ~/.config/lifeline-console)


ALARM_TEXT_SIZES = ("auto", "normal", "large", "xlarge", "wall")
THEMES = ("dark", "light", "high-contrast")
LANGUAGES = ("en", "zh_CN")


def load_config(path: str | Path | None) -> ConsoleConfig:
    """Read a [console] table from TOML; errors name the file, field and value."""
    config = ConsoleConfig()
    if path is None:
        return config
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    table = doc.get("console", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [console] must be a table")
    return apply_overrides(config, table, str(path))


def apply_overrides(config: ConsoleConfig, values: dict[str, Any], source: str) -> ConsoleConfig:
    """Return config with values applied, checking each name and type."""
    known = {f.name: f for f in fields(ConsoleConfig)}
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            raise ConfigError(f"{source}: unknown field {name!r}; known: {', '.join(known)}")
        expected = type(getattr(config, name))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(
                f"{source}: field {name!r} must be {expected.__name__}, got {value!r}"
            )
        changes[name] = value
    result = replace(config, **changes)
    if result.display_fps <= 0 or result.display_fps > 240:
        raise ConfigError(f"{source}: display_fps must be in (0, 240], got {result.display_fps}")
    if result.buffer_capacity < 16:
        raise ConfigError(f"{source}: buffer_capacity must be >= 16, got {result.buffer_capacity}")
    if result.alarm_text not in ALARM_TEXT_SIZES:
        raise ConfigError(
            f"{source}: alarm_text must be one of {', '.join(ALARM_TEXT_SIZES)}, "
            f"got {result.alarm_text!r}"
        )
    for name, allowed in (("theme", THEMES), ("language", LANGUAGES)):
        if getattr(result, name) not in allowed:
            raise ConfigError(
                f"{source}: {name} must be one of {', '.join(allowed)}, "
                f"got {getattr(result, name)!r}"
            )
    try:
        parse_shifts(result.shifts)
    except ValueError as exc:
        raise ConfigError(f"{source}: field 'shifts': {exc}") from None
    return result
