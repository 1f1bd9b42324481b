"""A CJK font file for the text VTK draws itself (legend, labels, colour bar, scale bar).

VTK renders text with FreeType from its own compiled-in Arial/Courier/Times, which hold no
Chinese glyphs: Chinese would show as boxes. A text property whose text needs more than those
fonts have is pointed at a CJK font file found through fontconfig; any other keeps VTK's own
font, so English renders exactly as before. FreeType opens only the first face of a font
collection (.ttc), which in Noto CJK is the Japanese one, so the Simplified Chinese face is
copied out of the collection once into the user's cache.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import struct
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from vtkmodules.vtkCommonCore import VTK_FONT_FILE
from vtkmodules.vtkRenderingCore import vtkTextProperty

log = logging.getLogger(__name__)

# Tried in order; the first whose languages include Simplified Chinese is used.
FONT_PATTERNS = ("Noto Sans CJK SC", "Source Han Sans SC", "sans-serif:lang=zh-cn")
LATIN1_MAX = 0xFF  # VTK's compiled-in fonts cover Latin-1
COLLECTION_SUFFIXES = (".ttc", ".otc")

_lock = threading.RLock()  # the bold lookup may fall back to the regular one


def needs_cjk_font(text: str) -> bool:
    """Whether text has a character beyond VTK's own fonts (which cover Latin-1 only)."""
    return any(ord(ch) > LATIN1_MAX for ch in text)


def text_width_em(text: str) -> float:
    """Rough width of text in ems: Latin letters about 0.62, CJK and other wide ones 1.0."""
    return sum(1.0 if ord(ch) >= 0x1100 else 0.62 for ch in text)


def match_font(pattern: str) -> tuple[Path, int] | None:
    """fontconfig's file and face index for a pattern, if it covers Simplified Chinese."""
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}\n%{lang}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\n")
    if len(parts) < 3 or "zh-cn" not in parts[2].split("|") or not parts[0]:
        return None
    path = Path(parts[0])
    return (path, int(parts[1] or 0)) if path.is_file() else None


def collection_face(collection: Path, index: int, out: Path) -> None:
    """Write face `index` of a font collection as a standalone font file (tables copied)."""
    data = collection.read_bytes()
    tag, _version, count = struct.unpack_from(">4sLL", data, 0)
    if tag != b"ttcf" or not 0 <= index < count:
        raise ValueError(f"{collection}: no face {index} in this font collection")
    (offset,) = struct.unpack_from(">L", data, 12 + 4 * index)
    header = data[offset : offset + 12]
    (n_tables,) = struct.unpack_from(">H", header, 4)
    position = 12 + 16 * n_tables
    records: list[bytes] = []
    tables: list[bytes] = []
    for i in range(n_tables):
        tag, checksum, start, length = struct.unpack_from(">4sLLL", data, offset + 12 + 16 * i)
        records.append(struct.pack(">4sLLL", tag, checksum, position, length))
        padded = data[start : start + length] + b"\0" * (-length % 4)
        tables.append(padded)
        position += len(padded)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".part")
    with os.fdopen(fd, "wb") as f:
        f.write(header + b"".join(records) + b"".join(tables))
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)


def cache_dir() -> Path:
    """Where extracted faces are kept between runs."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lifeline-console" / "fonts"


def single_face_file(path: Path, index: int) -> Path:
    """A file FreeType opens at the wanted face: the font itself, or its face copied out."""
    if index == 0 or path.suffix.lower() not in COLLECTION_SUFFIXES:
        return path
    stat = path.stat()
    name = f"{path.stem}-{index}-{stat.st_size}-{stat.st_mtime_ns}.otf"
    for folder in (cache_dir(), Path(tempfile.gettempdir()) / "lifeline-console-fonts"):
        out = folder / name
        if out.is_file():
            return out
        try:
            collection_face(path, index, out)
            return out
        except (OSError, ValueError, struct.error) as exc:
            log.warning("could not copy face %d of %s to %s: %s", index, path, folder, exc)
    return path  # face 0 of the collection still has the glyphs, in another region's forms


@functools.cache
def cjk_font_file(bold: bool = False) -> str | None:
    """Path of a Simplified Chinese font file for VTK, bold or regular; None if none is found."""
    with _lock:
        style = "Bold" if bold else "Regular"
        for pattern in FONT_PATTERNS:
            found = match_font(f"{pattern}:style={style}")
            if found is not None:
                return str(single_face_file(*found))
        if bold:
            return cjk_font_file(False)
        log.warning("no Simplified Chinese font found: Chinese in the 3D view shows as boxes")
        return None


def use_font_for(tp: vtkTextProperty, texts: str | Iterable[str]) -> None:
    """Draw tp's text with the CJK font when any of texts needs it, else with VTK's own Arial."""
    items = [texts] if isinstance(texts, str) else texts
    path = cjk_font_file(bool(tp.GetBold())) if any(map(needs_cjk_font, items)) else None
    if path is None:
        tp.SetFontFamilyToArial()
        return
    tp.SetFontFamily(VTK_FONT_FILE)
    tp.SetFontFile(path)
