"""The simulation's calendar: working days (no weekends, no England & Wales bank holidays),
school-holiday seasonality, and weighted sampling of days."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date
from itertools import accumulate

import holidays
from dateutil.easter import easter


def season_weight(day: date, easter_sunday: date) -> float:
    """Relative referral rate on a day: fewer in school holidays."""
    if day.month == 8:
        return 0.70
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 3):
        return 0.55
    if -9 <= (day - easter_sunday).days <= 8:
        return 0.80
    if day.month == 7 and day.day >= 22:
        return 0.85
    return 1.0


class Calendar:
    """Days as ordinals; working days exclude weekends and England & Wales bank holidays,
    substitute days included (the `holidays` package)."""

    WEEKEND_CONTACT_WEIGHT = 0.35

    def __init__(self, first: date, last: date) -> None:
        years = range(first.year, last.year + 1)
        bank = {d.toordinal() for d in holidays.country_holidays("GB", subdiv="ENG", years=years)}
        easters = {y: easter(y) for y in years}
        self.days = list(range(first.toordinal(), last.toordinal() + 1))
        self.working: list[int] = []
        self.working_season: list[float] = []
        day_weights = []
        for o in self.days:
            d = date.fromordinal(o)
            season = season_weight(d, easters[d.year])
            closed = d.weekday() >= 5 or o in bank
            day_weights.append(season * (self.WEEKEND_CONTACT_WEIGHT if closed else 1.0))
            if not closed:
                self.working.append(o)
                self.working_season.append(season)
        self.working_cum = list(accumulate(self.working_season))
        self.day_cum = list(accumulate(day_weights))

    def on_or_after(self, day: int) -> int:
        return self.working[bisect_left(self.working, day)]

    def on_or_before(self, day: int) -> int:
        return self.working[bisect_right(self.working, day) - 1]

    def add(self, day: int, n: int) -> int:
        """n working days after `day` (counted from the last working day on or before it)."""
        return self.working[bisect_right(self.working, day) - 1 + n]

    def count(self, first: int, last: int) -> int:
        """Working days after `first` up to and including `last`."""
        return bisect_right(self.working, last) - bisect_right(self.working, first)

    def referral_day_from(self, day: int, rnd: Callable[[], float]) -> int:
        """The first working day from `day` that a seasonal thinning accepts."""
        i = bisect_left(self.working, day)
        while rnd() > self.working_season[i]:
            i += 1
        return self.working[i]

    def sample_working_days(self, first: int, last: int, n: int, rnd) -> list[int]:
        return self._sample(self.working, self.working_cum, first, last, n, rnd)

    def sample_days(self, first: int, last: int, n: int, rnd) -> list[int]:
        return self._sample(self.days, self.day_cum, first, last, n, rnd)

    @staticmethod
    def _sample(values: list[int], cum: list[float], first: int, last: int, n: int, rnd) -> list[int]:
        """n days in [first, last] drawn by weight, in date order."""
        i, j = bisect_left(values, first), bisect_right(values, last) - 1
        low = cum[i - 1] if i else 0.0
        span = cum[j] - low
        return sorted(values[bisect_left(cum, low + rnd() * span, i, j)] for _ in range(n))
