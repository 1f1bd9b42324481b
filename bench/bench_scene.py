"""The 3D scene at district and city scale: build, recolour, render, and what it costs idle.

Build, recolour and render run offscreen (VTK's EGL, no display) in this process. Idle cost runs
the real Qt scene widget under Xvfb in a worker (bench/scene_idle_worker.py): with nothing
changing it should render nothing and use almost no CPU.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from backend_client.city import City, city_from_dict, demo_city_path, load_city
from bench import Figure, Result, benchmark, run_worker

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"full": ((1, 100), 5, 6.0), "quick": ((1, 100), 3, 4.0), "smoke": ((1,), 2, 2.0)}
RENDER_SIZE = (1920, 1080)
ORBIT_SIZES = ((1920, 1080), (960, 540))  # full screen, and the 3D dock of a desk layout
ORBIT_FRAMES = 12


def city_at(scale: int) -> City:
    """The bundled demo district, or the district tiled `scale` times."""
    if scale == 1:
        return load_city(demo_city_path())
    from simulator.citygen import generate

    return city_from_dict(generate(scale))


def offscreen_figures(city: City, repeats: int) -> dict[str, float]:
    """Build, first and steady render, and a full recolour, in milliseconds."""
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL backend)
    from vtkmodules.vtkRenderingCore import vtkRenderWindow

    from widgets.city_scene import CityScene
    from widgets.scene_camera import orbit
    from widgets.scene_widget import moving_scale

    started = time.perf_counter()
    scene = CityScene(city)
    build = time.perf_counter() - started
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(*RENDER_SIZE)
    scene.attach(window)
    scene.overview()
    started = time.perf_counter()
    window.Render()
    first = time.perf_counter() - started
    renders = []
    for _ in range(repeats):
        started = time.perf_counter()
        window.Render()
        renders.append(time.perf_counter() - started)
    scene.set_fast_rendering(True)
    fast = []
    for _ in range(repeats):
        started = time.perf_counter()
        window.Render()
        fast.append(time.perf_counter() - started)
    orbit_fps = {}
    for moving in (False, True):  # moving: as the console draws while the camera moves
        for w, h in ORBIT_SIZES:
            scale = moving_scale(w, h) if moving else 1.0
            window.SetSize(round(w * scale), round(h * scale))
            scene.set_moving(moving)
            for _ in range(3):  # warm-up: shaders and buffers for this size and mode
                orbit(scene.camera, 8.0, 2.0, w, h)
                window.Render()
            started = time.perf_counter()
            for _ in range(ORBIT_FRAMES):
                orbit(scene.camera, 8.0, 2.0, w, h)
                window.Render()
            orbit_fps[(w, h, moving)] = ORBIT_FRAMES / (time.perf_counter() - started)
    scene.set_moving(False)
    window.SetSize(*RENDER_SIZE)
    rng = np.random.default_rng(1)
    n = len(city.sensors)
    recolours = []
    for _ in range(max(repeats, 5)):
        codes = rng.integers(0, 7, n).astype(np.uint8)
        blink = rng.random(n) < 0.01
        started = time.perf_counter()
        scene.set_sensor_states(codes, blink)
        recolours.append(time.perf_counter() - started)
    scene.detach(window)
    window.Finalize()
    return {
        "sensors": n,
        "build_ms": build * 1000,
        "first_render_ms": first * 1000,
        "render_ms": min(renders) * 1000,
        "fast_render_ms": min(fast) * 1000,
        "recolour_ms": float(np.median(recolours)) * 1000,
        "orbit_fps": orbit_fps,
    }


def idle_figures(scale: int, seconds: float) -> dict[str, float]:
    """The Qt scene widget left alone: renders and GUI-thread CPU per second (worker, Xvfb)."""
    return run_worker("bench.scene_idle_worker", "SCENE-IDLE", str(scale), str(seconds))


@benchmark("scene", "3D scene: build, recolour, render (software GL) and idle cost")
def run(mode: str) -> Result:
    scales, repeats, idle_s = SIZES[mode]
    figures: list[Figure] = []
    params: dict[str, object] = {"render size": f"{RENDER_SIZE[0]}x{RENDER_SIZE[1]} offscreen"}
    for scale in scales:
        city = city_at(scale)
        off = offscreen_figures(city, repeats)
        idle = idle_figures(scale, idle_s)
        name = "demo district" if scale == 1 else f"scale-{scale} city"
        params[f"{name} sensors"] = off["sensors"]
        figures += [
            Figure(f"{name}: scene build", off["build_ms"], "ms", target="<= 3,000 ms"),
            Figure(f"{name}: recolour every sensor", off["recolour_ms"], "ms", target="<= 10 ms"),
            Figure(f"{name}: first render", off["first_render_ms"], "ms"),
            Figure(f"{name}: render, full quality", off["render_ms"], "ms"),
            Figure(f"{name}: render, fast (no peeling/FXAA)", off["fast_render_ms"], "ms"),
            *(
                Figure(
                    f"{name}: orbiting a {w}x{h} view, "
                    + ("as the console draws it moving" if moving else "full frames"),
                    fps,
                    "frames/s",
                    target=">= 20 (smooth)" if moving else None,
                )
                for (w, h, moving), fps in off["orbit_fps"].items()
            ),
            Figure(f"{name}: idle renders", idle["renders_per_s"], "renders/s", target="0"),
            Figure(f"{name}: idle GUI CPU", idle["cpu_pct"], "%", target="almost none"),
        ]
    return Result(
        figures=figures,
        params=params,
        notes=(
            "Software rendering (Mesa llvmpipe) on this 2-core machine; a GPU renders the same "
            "scene in a few milliseconds. The console renders on a thread of its own (VTK "
            "releases the GIL), so a slow frame delays only the 3D view, never the plots or "
            "the alarm queue. Orbiting renders frame after frame with fast rendering; while the "
            "camera moves on a slow renderer the console draws frames of at most half the size "
            "and about 300,000 pixels (stretched to the view) with splats as plain points, full "
            "frames again once it rests. "
            "Idle: the Qt widget with a city loaded and nothing changing, measured after it "
            "settled (CPU of the whole process, render thread included). A render slower than "
            "80 ms switches the scene to fast rendering (depth peeling and FXAA off); more than "
            "5,000 sensors or nodes are drawn as shaded point splats instead of glyph spheres."
        ),
    )
