"""Colour-vision checks for the palettes: simulated deficiencies, CIELAB differences, contrast.

Pure NumPy (no Qt) so theme tests can prove that warning colours stay apart for colour-blind
operators. Colours are '#rrggbb' strings or (..., 3) arrays of sRGB in 0..255.

- Deficiencies: Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for
  Simulation of Color Vision Deficiency", severity 1.0 matrices, applied in linear RGB.
- Differences: CIEDE2000 (Sharma, Wu & Dalal 2005) and CIE76 in CIELAB, D65 white.
- Contrast: WCAG 2.x relative luminance and contrast ratio.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MACHADO_2009 = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
DEFICIENCIES = tuple(MACHADO_2009)

# sRGB (D65) to XYZ, and the D65 reference white.
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def srgb_array(colours: str | Sequence[str] | np.ndarray) -> np.ndarray:
    """'#rrggbb' strings (or an array) to float sRGB 0..255, shape (..., 3)."""
    if isinstance(colours, str):
        colours = [colours]
        single = True
    else:
        single = False
    if isinstance(colours, np.ndarray):
        return colours.astype(np.float64)
    out = np.array(
        [[int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for c in colours],
        dtype=np.float64,
    )
    return out[0] if single else out


def to_linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB 0..255 to linear-light 0..1 (the space the Machado matrices work in)."""
    c = np.asarray(srgb, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear-light 0..1 back to sRGB 0..255, clipped to the gamut."""
    c = np.clip(linear, 0.0, 1.0)
    return 255.0 * np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(colours: str | Sequence[str] | np.ndarray, deficiency: str) -> np.ndarray:
    """How a dichromat sees the colours: sRGB 0..255 in, sRGB 0..255 out."""
    matrix = MACHADO_2009[deficiency]
    return to_srgb(to_linear(srgb_array(colours)) @ matrix.T)


def to_lab(colours: str | Sequence[str] | np.ndarray) -> np.ndarray:
    """sRGB 0..255 to CIELAB (D65)."""
    xyz = to_linear(srgb_array(colours)) @ _RGB_TO_XYZ.T / _WHITE_D65
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


def delta_e76(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIE76: Euclidean distance in CIELAB."""
    return np.linalg.norm(np.asarray(lab1) - np.asarray(lab2), axis=-1)


def delta_e2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference (kL = kC = kH = 1), vectorised over leading axes."""
    lab1, lab2 = np.asarray(lab1, dtype=np.float64), np.asarray(lab2, dtype=np.float64)
    l1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    l2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl = l2 - l1
    dc = c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0.0, dh)
    d_hh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    h_sum = h1p + h2p
    wrapped = np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2)
    h_bar = np.where(np.abs(h1p - h2p) <= 180, h_sum / 2, wrapped)
    h_bar = np.where(c1p * c2p == 0, h_sum, h_bar)
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return np.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_hh / s_h) ** 2 + r_t * (dc / s_c) * (d_hh / s_h)
    )


def pairwise_delta_e(colours: Sequence[str], deficiency: str | None = None) -> np.ndarray:
    """Symmetric matrix of CIEDE2000 differences, as seen with the given deficiency (or none)."""
    rgb = srgb_array(list(colours))
    if deficiency is not None:
        rgb = simulate(rgb, deficiency)
    lab = to_lab(rgb)
    return delta_e2000(lab[:, None, :], lab[None, :, :])


def min_pair(colours: Sequence[str], deficiency: str | None = None) -> tuple[float, int, int]:
    """The closest pair (ΔE00, i, j) in a set: the one a colour-blind operator confuses first."""
    d = pairwise_delta_e(colours, deficiency)
    d[np.diag_indices_from(d)] = np.inf
    i, j = np.unravel_index(int(np.argmin(d)), d.shape)
    return float(d[i, j]), int(i), int(j)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    r, g, b = to_linear(srgb_array(colour))
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, 1..21: 4.5 is AA for body text, 7 is AAA."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
