"""Min/max decimation: peaks survive, gaps stay gaps, output follows the screen width."""

import numpy as np
import pytest

from backend_client.model.decimate import decimate_for_display, minmax_decimate


def _signal(n, seed=1):
    rng = np.random.default_rng(seed)
    return np.arange(n, dtype=np.float64), rng.normal(size=n)


def test_min_and_max_of_every_pixel_column_survive():
    t, v = _signal(10_000)
    width = 100
    x, y = minmax_decimate(t, v, 0.0, 10_000.0, width)
    edges = np.linspace(0.0, 10_000.0, width + 1)
    for k in range(width):
        inside = (t >= edges[k]) & (t < edges[k + 1])
        column = y[(x > edges[k]) & (x < edges[k + 1])]
        assert column.min() == pytest.approx(v[inside].min())
        assert column.max() == pytest.approx(v[inside].max())
    assert y.max() == pytest.approx(v.max()) and y.min() == pytest.approx(v.min())


def test_gap_stays_a_gap_and_is_never_interpolated_across():
    t, v = _signal(10_000)
    v[4000:6000] = np.nan
    x, y = minmax_decimate(t, v, 0.0, 10_000.0, 100)
    in_gap = (x > 4000) & (x < 6000)
    assert in_gap.any() and np.isnan(y[in_gap]).all()
    assert np.isfinite(y[x < 3900]).all() and np.isfinite(y[x > 6100]).all()


def test_column_without_any_sample_breaks_the_line():
    t = np.r_[np.arange(0, 400.0), np.arange(600.0, 1000.0)]
    v = np.ones_like(t)
    x, y = minmax_decimate(t, v, 0.0, 1000.0, 50)
    assert np.isnan(y[(x > 410) & (x < 590)]).all()


@pytest.mark.parametrize("n", [1_000, 100_000, 1_000_000])
def test_output_is_bounded_by_twice_the_width_whatever_the_input_length(n):
    t, v = _signal(n)
    x, y = decimate_for_display(t, v, 0.0, float(n), 300)
    assert x.size == y.size <= 600


def test_only_the_requested_time_range_is_used():
    t, v = _signal(10_000)
    v[9_000] = 1e6  # outside the range asked for
    x, y = minmax_decimate(t, v, 0.0, 5_000.0, 50)
    assert x.min() >= 0.0 and x.max() <= 5_000.0 and np.nanmax(y) < 1e6


def test_empty_input_gives_empty_output():
    x, y = minmax_decimate(np.zeros(0), np.zeros(0), 0.0, 1.0, 100)
    assert x.size == 0 and y.size == 0
    x, y = decimate_for_display(np.zeros(0), np.zeros(0), 0.0, 1.0, 100)
    assert x.size == 0 and y.size == 0


def test_single_sample_is_kept():
    x, y = minmax_decimate(np.array([5.0]), np.array([2.5]), 0.0, 10.0, 100)
    assert np.all(y == 2.5) and 0 < x.size <= 2
    x, y = decimate_for_display(np.array([5.0]), np.array([2.5]), 0.0, 10.0, 100)
    assert list(x) == [5.0] and list(y) == [2.5]


def test_few_samples_pass_through_untouched_with_their_neighbours_outside_the_range():
    t = np.arange(10.0)
    v = t * 2
    x, y = decimate_for_display(t, v, 2.5, 6.5, 100)
    assert list(x) == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0] and list(y) == list(x * 2)
