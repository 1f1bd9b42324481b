"""The audible annunciator: a generated two-tone WAV via QSoundEffect, or silence without audio."""

from __future__ import annotations

import io
import logging
import tempfile
import wave
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QUrl, Signal

log = logging.getLogger(__name__)
SAMPLE_RATE = 22_050


def tone_wav(
    tones_hz: tuple[float, ...] = (988.0, 784.0), beep_s: float = 0.22, rate: int = SAMPLE_RATE
) -> bytes:
    """A short alternating-tone chime as 16-bit mono WAV bytes, soft-edged to avoid clicks."""
    n = int(beep_s * rate)
    t = np.arange(n) / rate
    ramp = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)
    beeps = [np.sin(2 * np.pi * f * t) * ramp for f in tones_hz]
    gap = np.zeros(int(0.06 * rate))
    samples = np.concatenate([part for b in beeps for part in (b, gap)])
    pcm = (samples * 0.6 * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


class AlarmHorn(QObject):
    """Plays the chime; without QtMultimedia or an audio device it stays silent and says so once."""

    sounded = Signal(str)  # the annunciation text, emitted whether or not a speaker exists

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effect = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:
            log.warning("alarm sound off: QtMultimedia unavailable (%s)", exc)
            return
        if not QMediaDevices.audioOutputs():
            log.warning("alarm sound off: no audio output device")
            return
        self._dir = tempfile.TemporaryDirectory(prefix="lifeline-horn-")
        path = Path(self._dir.name) / "annunciation.wav"
        path.write_bytes(tone_wav())
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        effect.setVolume(0.8)
        self._effect = effect

    @property
    def audible(self) -> bool:
        return self._effect is not None

    def sound(self, text: str) -> None:
        if self._effect is not None:
            self._effect.play()
        self.sounded.emit(text)

    def stop(self) -> None:
        if self._effect is not None:
            self._effect.stop()
