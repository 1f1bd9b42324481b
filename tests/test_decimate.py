"""Min/max decimation: peaks survive, gaps stay gaps, output follows the screen width."""

import numpy as np
import pytest

from backend_client.model.decimate import minmax_decimate
from backend_client.model.live_columns import LiveColumns


def decimate_for_display(t, v, t0, t1, width):
    """What a live curve draws for [t0, t1] at `width` columns (t0 on a column boundary)."""
    live = LiveColumns()
    live.extend(np.asarray(t, dtype=np.float64), np.asarray(v, dtype=np.float64))
    return live.decimated(t0, width, (t1 - t0) / width)


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
    x, y = decimate_for_display(t, v, 2.4, 6.4, 100)
    assert list(x) == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0] and list(y) == list(x * 2)


def test_appending_in_small_batches_draws_exactly_what_one_big_batch_draws():
    t, v = _signal(50_000, seed=3)
    v[20_000:20_500] = np.nan
    whole = LiveColumns()
    whole.extend(t, v)
    piecewise = LiveColumns()
    rng = np.random.default_rng(4)
    start = 0
    while start < t.size:
        stop = start + int(rng.integers(1, 700))
        piecewise.extend(t[start:stop], v[start:stop])
        piecewise.decimated(0.0, 250, 200.0)  # columns folded part way through, as per frame
        start = stop
    got, want = piecewise.decimated(0.0, 250, 200.0), whole.decimated(0.0, 250, 200.0)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


def test_open_column_extent_follows_new_samples_only():
    live = LiveColumns()
    live.extend(np.arange(0.0, 95.0), np.zeros(95))
    assert live.open_extent(10.0) == (9, 0.0, 0.0)
    live.extend(np.array([96.0, 97.0]), np.array([-3.0, 5.0]))
    assert live.open_extent(10.0) == (9, -3.0, 5.0)
    live.extend(np.array([101.0]), np.array([1.0]))
    assert live.open_extent(10.0) == (10, 1.0, 1.0)


def test_keeping_the_newest_samples_drops_old_columns_but_not_new_ones():
    t, v = _signal(100_000)
    live = LiveColumns()
    live.extend(t, v)
    live.decimated(0.0, 500, 200.0)
    live.keep_newest(10_000)
    assert len(live) <= 10_000 + 10_000 // 8 and live.t[-1] == t[-1]
    x, y = live.decimated(0.0, 500, 200.0)
    assert x.min() >= live.t[0] - 200.0 and y[-1] == pytest.approx(v[99_800:].max())


def test_an_out_of_order_batch_is_merged_in_time_order():
    live = LiveColumns()
    live.extend(np.array([0.0, 2.0, 4.0]), np.array([0.0, 2.0, 4.0]))
    live.extend(np.array([3.0, 1.0]), np.array([3.0, 1.0]))
    assert live.t.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0] and live.y.tolist() == live.t.tolist()
