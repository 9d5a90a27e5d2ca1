"""The statutory holidays of 《全国年节及纪念日放假办法》, for years whose State Council notice is
not published yet.

The yearly notice (国务院办公厅关于某年部分节假日安排的通知) is what counts working days; it
usually comes in November of the year before. Until it is loaded, a deadline that runs into
that year is computed *provisionally* (暂定) on the holidays the 办法 itself fixes: a working day
is Monday to Friday that is not one of these days. No 调休 (weekend make-up working days) and no
补假 are guessed: both are set by the notice, never by the 办法's text alone.

Each version of the 办法 is data (:data:`MEASURES`); the lunar dates and the 清明 solar term come
from ``lunar_python`` (a maintained astronomical lunar-calendar library).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from lunar_python import Lunar, Solar


class Basis(StrEnum):
    SOLAR = "solar"  # a Gregorian date: 元旦 1月1日
    LUNAR = "lunar"  # a date of the Chinese lunar calendar: 春节 正月初一
    SOLAR_TERM = "solar_term"  # a solar term: 清明


@dataclass(frozen=True)
class Festival:
    """A holiday of the 办法: ``days`` days from the anchor date shifted by ``offset`` days."""

    name: str
    basis: Basis
    month: int = 0
    day: int = 0
    term: str = ""
    days: int = 1
    offset: int = 0  # 春节 since 2025: 除夕 is the day before 正月初一

    def anchor(self, year: int) -> date:
        if self.basis is Basis.SOLAR:
            return date(year, self.month, self.day)
        if self.basis is Basis.LUNAR:
            return _solar(Lunar.fromYmd(year, self.month, self.day).getSolar())
        return _solar(Lunar.fromYmd(year, 1, 1).getJieQiTable()[self.term])

    def dates(self, year: int) -> list[date]:
        first = self.anchor(year) + timedelta(days=self.offset)
        return [first + timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class Measures:
    """One version of 《全国年节及纪念日放假办法》: the holidays all citizens have off."""

    name: str
    valid_from: date
    festivals: tuple[Festival, ...]

    def holidays(self, year: int) -> dict[date, str]:
        days: dict[date, str] = {}
        for festival in self.festivals:
            for d in festival.dates(year):
                # two festivals on one day (中秋 on 1 October): one day off, both names
                days[d] = f"{days[d]}、{festival.name}" if d in days else festival.name
        return days

    def summary(self) -> str:
        return "、".join(f"{f.name}{f.days}天" for f in self.festivals)


def _solar(value: Solar) -> date:
    return date(value.getYear(), value.getMonth(), value.getDay())


_NEW_YEAR = Festival("元旦", Basis.SOLAR, 1, 1)
_QINGMING = Festival("清明节", Basis.SOLAR_TERM, term="清明")
_DRAGON_BOAT = Festival("端午节", Basis.LUNAR, 5, 5)
_MID_AUTUMN = Festival("中秋节", Basis.LUNAR, 8, 15)
_NATIONAL_DAY = Festival("国庆节", Basis.SOLAR, 10, 1, days=3)

MEASURES: tuple[Measures, ...] = (
    # 国务院令第644号 (2013年12月11日修订, 2014年1月1日施行)
    Measures(
        "《全国年节及纪念日放假办法》（国务院令第644号）",
        date(2014, 1, 1),
        (
            _NEW_YEAR,
            Festival("春节", Basis.LUNAR, 1, 1, days=3),
            _QINGMING,
            Festival("劳动节", Basis.SOLAR, 5, 1),
            _DRAGON_BOAT,
            _MID_AUTUMN,
            _NATIONAL_DAY,
        ),
    ),
    # 国务院令第795号 (2024年11月10日修订, 2025年1月1日施行): 除夕 and 5月2日 added
    Measures(
        "《全国年节及纪念日放假办法》（国务院令第795号）",
        date(2025, 1, 1),
        (
            _NEW_YEAR,
            Festival("春节", Basis.LUNAR, 1, 1, days=4, offset=-1),
            _QINGMING,
            Festival("劳动节", Basis.SOLAR, 5, 1, days=2),
            _DRAGON_BOAT,
            _MID_AUTUMN,
            _NATIONAL_DAY,
        ),
    ),
)


def measures_for(year: int) -> Measures:
    """The version of the 办法 in force on 1 January of ``year``."""
    start = date(year, 1, 1)
    matching = [m for m in MEASURES if m.valid_from <= start]
    if not matching:
        raise ValueError(f"{year}年没有适用的《全国年节及纪念日放假办法》版本")
    return max(matching, key=lambda m: m.valid_from)


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """The statutory holidays of ``year`` as (date, festival name), in date order, without
    调休 or 补假."""
    return tuple(sorted(measures_for(year).holidays(year).items()))


def provisional_reason(years: tuple[int, ...] | list[int]) -> str:
    """The one plain sentence a provisional date carries, wherever it is shown."""
    if not years:
        return ""
    named = "、".join(f"{y}年" for y in sorted(set(years)))
    return (
        f"暂定：{named}的国务院节假日安排尚未载入，此日期按《全国年节及纪念日放假办法》"
        "规定的法定节假日推算（未计调休），载入后将自动重新计算。"
    )
