"""Idle cost of the Qt scene widget: renders and GUI CPU per second with nothing changing.

Run by bench/bench_scene.py under Xvfb; prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    scale, seconds = int(sys.argv[1]), float(sys.argv[2])
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from bench.bench_scene import city_at
    from widgets.scene_widget import SceneWidget

    app = QApplication.instance() or QApplication([])
    widget = SceneWidget(city_at(scale))
    widget.resize(1280, 720)
    widget.show()
    settle = time.perf_counter() + 3.0
    while time.perf_counter() < settle:  # first renders, pacing, fast-mode switch
        app.processEvents()
        time.sleep(0.01)
    renders0 = widget.renders  # every render, whoever asked for it
    # the whole process: the GUI thread and the render thread
    cpu0, wall0 = time.process_time(), time.perf_counter()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    renders = widget.renders - renders0
    widget.shutdown()
    result = {"renders_per_s": renders / wall, "cpu_pct": 100 * cpu / wall}
    print("SCENE-IDLE " + json.dumps(result))


if __name__ == "__main__":
    main()
