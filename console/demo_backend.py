"""Runs the reference backend as a child process on free loopback ports for --demo."""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)
READY_PREFIX = "LIFELINE-SIM READY "


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to the simulator if the console dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):  # elsewhere stop() ends it on exit
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class DemoBackendError(RuntimeError):
    """The simulator did not come up; the message carries what it printed."""


@dataclass(frozen=True, slots=True)
class DemoEndpoints:
    pub: str
    rpc: str


class DemoBackend:
    """Owns the simulator process: started before the window, stopped when the console exits."""

    def __init__(self, scenarios: list[str] | None = None, extra_args: list[str] | None = None):
        self.scenarios = scenarios or []
        self.extra_args = extra_args or []
        self.process: subprocess.Popen[str] | None = None

    def start(self, timeout_s: float = 30.0) -> DemoEndpoints:
        """Start the simulator and wait for its READY line naming the bound endpoints."""
        cmd = [
            sys.executable,
            "-m",
            "simulator.cli",
            "--pub",
            "tcp://127.0.0.1:*",
            "--rpc",
            "tcp://127.0.0.1:*",
            *self.extra_args,
        ]
        if "--state-db" not in self.extra_args:  # each demo starts clean, nothing left on disk
            cmd += ["--state-db", ":memory:"]
        for name in self.scenarios:
            cmd += ["--scenario", name]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=None,
            text=True,
            env=env,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        assert self.process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout_s
        seen: list[str] = []
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if not selector.select(timeout=0.2):
                continue
            line = self.process.stdout.readline()
            if line.startswith(READY_PREFIX):
                info = json.loads(line[len(READY_PREFIX) :])
                log.info("demo backend ready: %s", info)
                return DemoEndpoints(pub=info["pub"], rpc=info["rpc"])
            if line:
                seen.append(line.rstrip())
        self.stop()
        raise DemoBackendError(
            "the demo simulator did not report READY within "
            f"{timeout_s:.0f} s: {' | '.join(seen[-5:]) or 'no output'}"
        )

    def stop(self) -> None:
        """Terminate politely, then kill."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
