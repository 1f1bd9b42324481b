"""Render the 3D city scene offscreen (no Qt, no display) to PNGs for inspection and docs.

    python scripts/render_scene.py                    # demo city if present, else the fixture
    python scripts/render_scene.py --city my.json --out /tmp/scene --size 1920x1080

Writes <out>/scene-overview.png, scene-alarm.png (zoomed on a level I sensor, selected),
scene-xray.png (the same tunnel cut away, every compartment and its sensors in view),
scene-tunnel.png (the first tunnel framed from its side) and scene-values.png (the overview
with water pipes coloured by pressure and the colour bar).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkWindowToImageFilter

from backend_client.city import City, demo_city_path, load_city
from widgets.city_scene import CityScene
from widgets.scene_demo import fixture_city
from widgets.scene_style import BAD_QUALITY, LEVEL_I, LEVEL_II, LEVEL_III, LEVEL_IV, OFFLINE


def demo_states(city: City, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Plausible codes: mostly normal, a handful of alarms of each level, some bad/offline."""
    rng = np.random.default_rng(seed)
    n = len(city.sensors)
    codes = np.zeros(n, dtype=np.uint8)
    picks = rng.permutation(n)
    counts = [(LEVEL_I, 2), (LEVEL_II, 3), (LEVEL_III, 4), (LEVEL_IV, 5)]
    counts += [(BAD_QUALITY, max(n // 60, 2)), (OFFLINE, max(n // 40, 2))]
    at = 0
    for code, k in counts:
        codes[picks[at : at + k]] = code
        at += k
    blink = (codes >= LEVEL_I) & (codes <= LEVEL_II)
    return codes, blink


def demo_values(city: City, seed: int = 5) -> np.ndarray:
    """Latest values inside each sensor's alarm limits, a few mains running low."""
    rng = np.random.default_rng(seed)
    out = np.full(len(city.sensors), np.nan)
    for i, s in enumerate(city.sensors):
        lows = [v for v in s.limits.low if v is not None]
        highs = [v for v in s.limits.high if v is not None]
        lo = max(lows) if lows else (min(highs) * 0.3 if highs else 0.0)
        hi = min(highs) if highs else lo + 1.0
        out[i] = lo + (hi - lo) * rng.beta(4, 3)
    low = rng.random(len(out)) < 0.08
    out[low] *= 0.55
    return out


def load(city_arg: str | None) -> City:
    """The city asked for, else the bundled demo, else the built-in fixture."""
    if city_arg:
        return load_city(city_arg)
    path = demo_city_path()
    if path.exists():
        return load_city(path)
    print(f"{path} not found; rendering the built-in fixture district", file=sys.stderr)
    return fixture_city()


def save_png(window: vtkRenderWindow, path: Path) -> None:
    """Write the window's frame as a PNG."""
    grab = vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.ReadFrontBufferOff()
    grab.Update()
    writer = vtkPNGWriter()
    writer.SetFileName(str(path))
    writer.SetInputConnection(grab.GetOutputPort())
    writer.Write()


def main(argv: list[str] | None = None) -> int:
    """Render overview, alarm close-up and tunnel views."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--city", help="city model JSON (default: demo city or fixture)")
    ap.add_argument("--out", default="docs", help="output folder (default docs/)")
    ap.add_argument("--size", default="1600x1000", help="WIDTHxHEIGHT in pixels")
    args = ap.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    city = load(args.city)
    t0 = time.perf_counter()
    scene = CityScene(city)
    t1 = time.perf_counter()
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(width, height)
    scene.attach(window)
    codes, blink = demo_states(city)
    scene.set_sensor_states(codes, blink)
    scene.overview()
    window.Render()
    t2 = time.perf_counter()
    save_png(window, out / "scene-overview.png")

    alarmed = np.flatnonzero(codes == LEVEL_I)
    in_tunnel = [int(i) for i in alarmed if city.sensors[int(i)].compartment]
    if len(alarmed):
        target = in_tunnel[0] if in_tunnel else int(alarmed[0])
        scene.set_selected(target)
        scene.focus_sensor(target, distance=120.0)
        window.Render()
        save_png(window, out / "scene-alarm.png")
        scene.set_xray(True)
        window.Render()
        save_png(window, out / "scene-xray.png")
        scene.set_xray(False)
        print(f"alarm and x-ray views: sensor {city.sensors[target].id}")
    if city.tunnels:
        scene.set_selected(None)
        scene.focus_tunnel(city.tunnels[0].id)
        window.Render()
        save_png(window, out / "scene-tunnel.png")
    water = [m.key for m in scene.pipe_values.modes if m.key == "water/PRESS"]
    modes = water or [m.key for m in scene.pipe_values.modes]
    if modes:
        scene.set_selected(None)
        scene.set_pipe_mode(modes[0])
        scene.set_pipe_values(demo_values(city))
        scene.overview()
        window.Render()
        save_png(window, out / "scene-values.png")
        scene.set_pipe_mode(None)
    print(
        f"{city.name}: {len(city.sensors)} sensors, {len(city.tunnels)} tunnels, "
        f"{len(city.pipelines)} pipelines; build {t1 - t0:.2f} s, first render {t2 - t1:.2f} s; "
        f"PNGs in {out}/"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
