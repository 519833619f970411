"""The two tools the demo keeps its promises with (issue #18): a quota over the windows a figure
is computed on, and systematic draws. Pure Python: no database."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sellercx.demo import Systematic, WindowQuota

START = date(2026, 1, 1)


def _windows_hold(days, bad, ends, length, share):
    for end in ends:
        inside = [i for i, d in enumerate(days) if end - timedelta(days=length) <= d < end]
        counted = [i for i in inside if days[i] < end - timedelta(days=1)]
        assert sum(bad[i] for i in inside) <= share * len(counted) + 1e-9, end


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 200), min_size=1, max_size=300),
    share=st.floats(0.01, 0.5),
    length=st.sampled_from([7, 28, 90]),
    seed=st.integers(0, 10**6),
)
def test_no_window_goes_over_its_quota_whatever_the_order_items_are_judged_in(
    offsets, share, length, seed
):
    rng = random.Random(seed)
    days = [START + timedelta(days=n) for n in offsets]
    ends = [START + timedelta(days=n) for n in range(100, 230)]
    quota = WindowQuota(days, length=length, ends=ends, share=share)
    order = list(range(len(days)))
    rng.shuffle(order)
    bad = [0] * len(days)
    for i in order:
        wanted = rng.random() < 0.5  # far more bad items than any window has room for
        if wanted and quota.fits(days[i]):
            quota.take(days[i])
            bad[i] = 1
    _windows_hold(days, bad, ends, length, share)


def test_a_quota_admits_what_fits_and_weights_count():
    days = [START + timedelta(days=n) for n in range(100)]  # one item a day
    quota = WindowQuota(days, length=50, ends=[START + timedelta(days=100)], share=0.1)
    last_window = START + timedelta(days=60)
    # 49 items counted (the window's last day is left out): room for 4.9.
    assert quota.fits(last_window, 4) and not quota.fits(last_window, 5)
    quota.take(last_window, 4)
    assert not quota.fits(last_window, 1)
    assert quota.fits(START, 3)  # before every window: free
    assert quota.fits(last_window, 0)  # a good item always fits


@given(rate=st.floats(0.01, 0.99), seed=st.integers(0, 10**6), length=st.integers(1, 200))
def test_systematic_draws_hold_their_rate_over_any_run(rate, seed, length):
    draw = Systematic(random.Random(seed), rate)
    hits = [draw.draw() for _ in range(400)]
    for start in range(0, 400 - length, 37):
        count = sum(hits[start : start + length])
        assert rate * length - 1 <= count <= rate * length + 1
