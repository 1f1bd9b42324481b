"""`lifeline-console --demo --wall LAYOUT` on three virtual screens writes one screenshot each."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from tests.test_console_e2e import image_array

ROOT = Path(__file__).resolve().parents[1]
# three screens side by side, the last one high-DPI (a mixed-DPI wall): its width and height
# are device pixels, 960x540 logical at a scale of 2
SCREENS = [
    {"name": "WALL-L", "x": 0, "y": 0, "width": 1280, "height": 720, "dpr": 1},
    {"name": "WALL-C", "x": 1280, "y": 0, "width": 1280, "height": 720, "dpr": 1},
    {"name": "WALL-R", "x": 2560, "y": 0, "width": 1920, "height": 1080, "dpr": 2},
]


def run_wall(tmp_path: Path, layout: Path, *extra: str, seconds: int = 20):
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": SCREENS}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screens}"}
    env.pop("DISPLAY", None)  # the offscreen platform and VTK's EGL need no X server
    out = tmp_path / "wall.png"
    cmd = [sys.executable, "-m", "console", "--demo", "--scenario", "gas-leak", "--wall",
           str(layout), "--screenshot", str(out), "--quit-after", str(seconds), *extra]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env, cwd=ROOT)
    return result, [tmp_path / f"wall-{i}.png" for i in (1, 2, 3)]


def test_the_three_screen_wall_writes_a_screenshot_of_each_screen_3d_included(tmp_path):
    result, shots = run_wall(tmp_path, ROOT / "resources" / "layouts" / "wall-3x1.json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert all(p.exists() for p in shots), result.stderr[-3000:]
    sizes = [QImage(str(p)).size() for p in shots]
    assert [(s.width(), s.height()) for s in sizes] == [(1280, 720), (1280, 720), (1920, 1080)]
    queue, scene, board = (image_array(QImage(str(p))) for p in shots)
    # the 3D screen: the middle of the frame is a rendered city, not a blank or black canvas
    middle = scene[100:620, 100:1180].astype(float)
    assert middle.std() > 12, "the 3D screen looks blank"
    assert len(np.unique(middle.reshape(-1, 3)[::97], axis=0)) > 50
    for image in (queue, board):
        assert image.astype(float).std() > 8


def test_a_layout_asking_for_a_fourth_screen_stops_with_a_clear_error(tmp_path):
    layout = tmp_path / "four.json"
    layout.write_text(
        json.dumps({
            "format": "lifeline-wall-layout/1",
            "screens": [{"screen": i, "pages": [{"view": "alarm_queue"}]} for i in range(4)],
        }),
        encoding="utf-8",
    )  # fmt: skip
    result, shots = run_wall(tmp_path, layout, seconds=5)
    assert result.returncode == 2
    assert "screens[3].screen = 3: no such screen; this machine has 3: 0 'WALL-L'" in result.stderr
    assert not any(p.exists() for p in shots)


def test_a_malformed_layout_is_refused_before_anything_starts(tmp_path):
    layout = tmp_path / "bad.json"
    layout.write_text('{"format": "lifeline-wall-layout/1", "screens": [{"screen": 0}]}', "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "console", "--demo", "--wall", str(layout)],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"{layout}: screens[0].pages = null: must be a non-empty list" in result.stderr
