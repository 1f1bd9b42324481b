"""Rewrite light.qss and high-contrast.qss from dark.qss, so all three style the same selectors.

    python scripts/derive_themes.py           # after editing dark.qss
    python scripts/derive_themes.py --check   # exit 1 if the derived files are out of date

Every dark colour is mapped through a per-theme table (level colours come from the theme's
palette JSON); then any text colour that would read below 4.5:1 (7:1 in high contrast) on its
rule's background is darkened or lightened until it reads. A dark colour with no mapping stops
the script and is named: add it to LIGHT and HIGH_CONTRAST below. tests/test_themes.py checks
the result (selectors, qproperties, contrast), so edit this table rather than the outputs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from widgets.colour_vision import contrast_ratio

STYLES = Path(__file__).resolve().parents[1] / "resources" / "styles"
HEX = r"#[0-9a-fA-F]{6}"
LEVEL = "level"  # a map value "level3" means: that theme's level III colour

LIGHT = {
    # surfaces and borders
    "#111821": "#f4f6f9", "#0b1016": "#ffffff", "#0e141b": "#ffffff", "#131b24": "#f0f3f7",
    "#17212c": "#e4e9ef", "#1f2a36": "#c9d2dc", "#2a3948": "#b3bfcc", "#22303e": "#c9d2dc",
    "#1f2d3b": "#e4e9ef", "#34495e": "#9aa8b7", "#2a3d50": "#d5dde6", "#35506b": "#c7dcf2",
    "#22384d": "#d3e3f3", "#3b5064": "#9aa8b7", "#141d28": "#e4e9ef", "#101a24": "#f4f7fa",
    "#121a24": "#e1e7ee", "#2a1f42": "#ddd2f2", "#141d27": "#ffffff", "#243241": "#c9d2dc",
    "#3d4c5c": "#b3bfcc",
    # text
    "#dfe6ee": "#1a2330", "#9fb3c8": "#3d5166", "#7f93a8": "#52657a", "#6c7a89": "#5d6977",
    "#55636f": "#8a96a3", "#e8eef4": "#1a2330", "#c9d3dd": "#3d4c5c", "#efe6ff": "#efe6ff",
    "#ffffff": "#ffffff", "#10151b": "#10151b",
    # accents and states
    "#4fc3f7": "#0b6fa4", "#ffd54f": "#8a5a00", "#8fd19e": "#1e7a3c", "#2e9d5b": "#1e7a3c",
    "#1f7f46": "#1e7a3c", "#ff8a80": "#b3261e", "#ff6b6b": "#b3261e", "#7b4fc9": "#6a3fb8",
    "#4b2f80": "#4b2f80", "#5d3b9c": "#5d3b9c", "#b99cf0": "#b99cf0", "#8f7ac0": "#7f6bb5",
    "#2e5f8a": "#245d8f", "#24405a": "#2f5f8f", "#4f7ca3": "#245d8f", "#2f5676": "#3a6ea3",
    "#8a6d1a": "#8a6d1a", "#7a1013": "#9b1c1f", "#5c1214": "#9b1c1f",
    # summary tiles
    "#2b1416": "#fbe3e3", "#281d13": "#fdebd9", "#261c13": "#fdebd9", "#242212": "#fbf5d0",
    "#122031": "#dde9f6", "#c9ad1e": "#a88a00", "#ffb74d": "#9a4a00", "#7fb8e6": "#1f5f99",
    "#7fbf94": "#1e7a3c", "#141f2c": "#e3edf8", "#19314a": "#c9dcf0", "#e3eef8": "#0f2a47",
    "#2c6a9a": "#3a6f9e", "#1c1d16": "#fbf6dc", "#2e2b14": "#f3e6a8", "#f4ecc2": "#3a3000",
    "#8c7c1e": "#a88a00", "#8e0f12": "#8e0f12", "#b8c7d6": "#55687c",
}  # fmt: skip
HIGH_CONTRAST = {
    "#111821": "#000000", "#0b1016": "#000000", "#0e141b": "#000000", "#131b24": "#141414",
    "#17212c": "#1a1a1a", "#1f2a36": "#8c8c8c", "#2a3948": "#ffffff", "#22303e": "#8c8c8c",
    "#1f2d3b": "#000000", "#34495e": "#ffffff", "#2a3d50": "#333333", "#35506b": "#1c4f8c",
    "#22384d": "#1c4f8c", "#3b5064": "#ffffff", "#141d28": "#000000", "#101a24": "#000000",
    "#121a24": "#1a1a1a", "#2a1f42": "#3a2a6c", "#141d27": "#000000", "#243241": "#ffffff",
    "#3d4c5c": "#9a9a9a",
    "#dfe6ee": "#ffffff", "#9fb3c8": "#e6e6e6", "#7f93a8": "#d0d0d0", "#6c7a89": "#bdbdbd",
    "#55636f": "#a0a0a0", "#e8eef4": "#ffffff", "#c9d3dd": "#ffffff", "#efe6ff": "#ffffff",
    "#ffffff": "#ffffff", "#10151b": "#000000",
    "#4fc3f7": "#00e5ff", "#ffd54f": "#ffff00", "#8fd19e": "#66ff66", "#2e9d5b": "#005c28",
    "#1f7f46": "#005c28", "#ff8a80": "#ff8080", "#ff6b6b": "#ff8080", "#7b4fc9": "#5a2ea6",
    "#4b2f80": "#2d1660", "#5d3b9c": "#46238a", "#b99cf0": "#ffffff", "#8f7ac0": "#b9a4f0",
    "#2e5f8a": "#0d3d66", "#24405a": "#0d3d66", "#4f7ca3": "#ffffff", "#2f5676": "#1c4f8c",
    "#8a6d1a": "#5c4600", "#7a1013": "#7a0000", "#5c1214": "#7a0000",
    "#2b1416": "#000000", "#281d13": "#000000", "#261c13": "#000000", "#242212": "#000000",
    "#122031": "#000000", "#c9ad1e": "level3", "#ffb74d": "#ffb000", "#7fb8e6": "#8fc8ff",
    "#7fbf94": "#66ff66", "#141f2c": "#000000", "#19314a": "#0d2a4d", "#e3eef8": "#ffffff",
    "#2c6a9a": "#8fc8ff", "#1c1d16": "#000000", "#2e2b14": "#3a3400", "#f4ecc2": "#ffffff",
    "#8c7c1e": "level3", "#8e0f12": "#7a0000", "#b8c7d6": "#d0d0d0",
}  # fmt: skip
HEADER = {
    "light": "/* Lifeline Console, light theme: daylit rooms. Same selectors as dark.qss\n"
    "   (scripts/derive_themes.py); all styling lives here, none inline. */",
    "high-contrast": "/* Lifeline Console, high-contrast theme: white on black, text at "
    "least 7:1.\n   Same selectors as dark.qss (scripts/derive_themes.py); all styling lives "
    "here. */",
}
EXTRA = {
    "high-contrast": """
/* --- High contrast only: heavier outlines so every control's edge reads on black ------------ */
QLabel#levelCount, QLabel#detailsLevel { border: 2px solid #ffffff; }
QPushButton, QLineEdit, QComboBox, QTabBar::tab { border-width: 2px; }
QTableView#alarmTable { gridline-color: #8c8c8c; }
""",
}
OVERRIDES = {  # (derived text, replacement): what a colour map alone gets wrong
    "light": [("qproperty-playheadColor: #ffffff;", "qproperty-playheadColor: #10151b;")],
    "high-contrast": [
        (
            'QLabel#linkState[link="connecting"] { background: #bdbdbd; }',
            'QLabel#linkState[link="connecting"] { background: #bdbdbd; color: #000000; }',
        ),
        (
            "    qproperty-accentColor: #ffffff;\n    qproperty-accentTextColor: #000000;\n"
            "    qproperty-badgeColor: #ffffff;\n    qproperty-badgeTextColor: #000000;",
            "    qproperty-accentColor: #333333;\n    qproperty-accentTextColor: #ffffff;\n"
            "    qproperty-badgeColor: #333333;\n    qproperty-badgeTextColor: #ffffff;",
        ),
    ],
}
WINDOW = {"light": "#f4f6f9", "high-contrast": "#000000"}
MIN_TEXT = {"light": 4.5, "high-contrast": 7.0}
TILE_TEXT = ("textColor", "mutedColor", "statusColor", "unackColor", "clearColor", "setAsideColor")
KEEP_TEXT = ("linkState", "replay", "training", ":disabled")  # text on a background set elsewhere


def readable(colour: str, background: str, minimum: float) -> str:
    """The colour, blended towards black or white until it reads on the background."""
    if contrast_ratio(colour, background) >= minimum:
        return colour
    near_black = "#10151b" if minimum < 7 else "#000000"
    if contrast_ratio(near_black, background) < minimum:
        near_black = "#000000"
    target = max(("#ffffff", near_black), key=lambda c: contrast_ratio(c, background))
    if colour in ("#ffffff", "#000000", "#10151b"):
        return target
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    to = [int(target[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 41):
        f = step / 40
        mix = (round(a + (b - a) * f) for a, b in zip(rgb, to, strict=True))
        mixed = "#{:02x}{:02x}{:02x}".format(*mix)
        if contrast_ratio(mixed, background) >= minimum:
            return mixed
    return target


def colour_map(theme: str, dark_palette: dict, palette: dict) -> dict[str, str]:
    """Dark colour to this theme's: the table, with level colours from the palettes."""
    table = dict(LIGHT if theme == "light" else HIGH_CONTRAST)
    for n in (1, 2, 3, 4):
        table[dark_palette[f"level.{n}"]] = palette[f"level.{n}"]
    return {k: palette[f"level.{v[-1]}"] if v.startswith(LEVEL) else v for k, v in table.items()}


def derive(theme: str, dark_qss: str, dark_palette: dict, palette: dict) -> str:
    """The theme's style sheet: dark.qss's rules in this theme's colours, text made readable."""
    table = colour_map(theme, dark_palette, palette)
    unknown = sorted({c.lower() for c in re.findall(HEX, dark_qss)} - set(table))
    if unknown:
        raise SystemExit(f"{theme}: no colour for dark.qss's {', '.join(unknown)}")
    minimum, window = MIN_TEXT[theme], WINDOW[theme]
    body = dark_qss.split("*/\n", 1)[1] if dark_qss.startswith("/*") else dark_qss
    tile_base = window
    out = []
    for block in re.split(r"(?<=\})", body):
        rule = re.sub(HEX, lambda m: table[m.group(0).lower()], block)
        selector = rule.split("{")[0]
        own_bg = re.search(rf"(?:background(?:-color)?|qproperty-accentColor)\s*:\s*({HEX})", rule)
        bg = own_bg.group(1) if own_bg else window
        if "QFrame#summaryTile" in selector:
            tile_bg = re.search(rf"(?<![-\w])background\s*:\s*({HEX})", rule)
            if tile_bg and selector.strip() == "QFrame#summaryTile":
                tile_base = tile_bg.group(1)
            under = tile_bg.group(1) if tile_bg else tile_base
            rule = re.sub(
                rf"qproperty-({'|'.join(TILE_TEXT)})\s*:\s*({HEX})",
                lambda m, u=under: f"qproperty-{m.group(1)}: {readable(m.group(2), u, minimum)}",
                rule,
            )
            for base in ("accent", "badge", "level1", "level2", "level3", "level4"):
                fill = re.search(rf"qproperty-{base}Color\s*:\s*({HEX})", rule)
                if fill:
                    under_text = fill.group(1)
                    rule = re.sub(
                        rf"(qproperty-{base}TextColor\s*:\s*)({HEX})",
                        lambda m, u=under_text: m.group(1) + readable(m.group(2), u, minimum),
                        rule,
                    )
        if not any(k in selector for k in KEEP_TEXT):
            rule = re.sub(
                rf"(?<![-\w])(color|selection-color)\s*:\s*({HEX})",
                lambda m, b=bg: f"{m.group(1)}: {readable(m.group(2), b, minimum)}",
                rule,
            )
        out.append(rule)
    text = HEADER[theme] + "\n" + "".join(out)
    for old, new in OVERRIDES.get(theme, ()):
        if text.count(old) != 1:
            raise SystemExit(f"{theme}: override no longer applies: {old!r}")
        text = text.replace(old, new)
    if theme in EXTRA:
        text = text.rstrip("\n") + "\n" + EXTRA[theme]
    return text


def main() -> int:
    """Derive both themes; with --check, only say whether the files are current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    dark_qss = (STYLES / "dark.qss").read_text("utf-8")
    dark_palette = json.loads((STYLES / "dark.json").read_text("utf-8"))
    stale = []
    for theme in ("light", "high-contrast"):
        palette = json.loads((STYLES / f"{theme}.json").read_text("utf-8"))
        text = derive(theme, dark_qss, dark_palette, palette)
        path = STYLES / f"{theme}.qss"
        if args.check:
            if path.read_text("utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, "utf-8")
    if stale:
        print("out of date:", ", ".join(stale))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
