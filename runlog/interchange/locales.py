"""Dates as the apps write them in their account's language: month names of every language.

`month_number("okt.")` is 10 and `parse_month_date("6 mei 2013 15:39:08")` is
datetime(2013, 5, 6, 15, 39, 8). The month names come from the Unicode CLDR (every language
it has, wide and abbreviated, format and stand-alone forms), in a table that
tools/make_months.py generates into runlog/interchange/_months.py with Babel; runlog itself
never imports Babel. The table loads on the first date that needs it.

A date is read by its parts, in any order: a time (`15:39:08`, `3:53:35 PM`, `下午3:53:35`,
`15.53.35`), a year of four digits, a day of one or two, and one month name; words between
them ("de", "del", "г.", a weekday) are passed over. Numeric dates are read where the order
is unambiguous: `2022-05-29`, `2022/05/29`, `2022. 5. 29.`, `2022年5月29日` (year first) and
`29.05.2022`, `29-05-2022` (day first, as the languages writing them do). A slash with the
year last (`05/29/2022` or `29/05/2022`?) is refused unless the day is over 12 or the caller
says `day_first=True` (CLDR's medium date is `dd/MM/y` in 47 locales, pt_PT among them,
and `MM/dd/y` in two, es_PR and es_PA).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache

_TABLE: tuple[dict[str, int], frozenset[str], frozenset[str], tuple[int, ...]] | None = None


def _table() -> tuple[dict[str, int], frozenset[str], frozenset[str], tuple[int, ...]]:
    """The month names, the day periods before and after noon, and the lengths of those
    (longest first), loaded once."""
    global _TABLE
    if _TABLE is None:
        from runlog.interchange._months import AM, MONTHS, PM

        _TABLE = (MONTHS, AM, PM, tuple(sorted({len(word) for word in AM | PM}, reverse=True)))
    return _TABLE


def month_number(word: str) -> int | None:
    """The month (1-12) a month name or abbreviation means in any CLDR language ("mei",
    "okt.", "März", "máj.", "мая", "5月"), or None. Case and a trailing dot do not matter."""
    key = unicodedata.normalize("NFC", word).strip().lower().rstrip(".")
    return _table()[0].get(key)


_TIME = re.compile(r"(?<![\d.:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?(?![\d:])")
_DOTTED_TIME = re.compile(r"(?<![\d.:])(\d{1,2})\.(\d{2})\.(\d{2})(?![\d.])")  # Finnish
_YEAR_FIRST = re.compile(r"(\d{4})\s*(?:[-/.]\s*|年|년\s*)(\d{1,2})\s*(?:[-/.]\s*|月|월\s*)"
                         r"(\d{1,2})(?:\s*[.日일])?(?!\d)")
_DAY_FIRST = re.compile(r"(?<![\d.])(\d{1,2})([.-])\s*(\d{1,2})\2\s*(\d{4})(?!\d)")
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
_WORD = re.compile(r"[^\W\d_]+(?:\.(?=\s|$|,))?")
_NUMBER = re.compile(r"\d+")
_SQUEEZE = re.compile(r"[\s.]")


def _clock(text: str) -> tuple[int, int, int, str]:
    """The time of day in `text` (hour, minute, second; 0:00:00 when there is none) and the
    text without it. A day period (AM/PM in the apps' languages) before or after it counts
    only for hours 1 to 12."""
    match = _TIME.search(text) or _DOTTED_TIME.search(text)
    if not match:
        return 0, 0, 0, text
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    before, after = text[: match.start()], text[match.end():]
    if 1 <= hour <= 12:
        _, am, pm, lengths = _table()
        period = None
        squeezed_after = _SQUEEZE.sub("", after).lower()
        squeezed_before = _SQUEEZE.sub("", before).lower()
        for length in lengths:  # the longest period that starts the rest or ends what is before
            for word, at_end in ((squeezed_after[:length], False),
                                 (squeezed_before[-length:], True)):
                if len(word) == length and (word in am or word in pm):
                    period = "pm" if word in pm else "am"
                    # the period is no month name: take it out of the text
                    if at_end:
                        before = _drop_period(before, word, at_end=True)
                    else:
                        after = _drop_period(after, word)
                    break
            if period:
                break
        if period == "pm" and hour != 12:
            hour += 12
        elif period == "am" and hour == 12:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"not a time of day: {match[0]!r}")
    return hour, minute, second, before + " " + after


@lru_cache(maxsize=256)
def _period_pattern(word: str, at_end: bool) -> re.Pattern:
    pattern = r"[\s.]*".join(re.escape(letter) for letter in word)
    if at_end:
        return re.compile(pattern + r"[\s.]*$", re.IGNORECASE)
    return re.compile(r"^[\s.]*" + pattern + r"\.?", re.IGNORECASE)


def _drop_period(text: str, word: str, at_end: bool = False) -> str:
    """`text` without the day period `word` at its start (or end), spaces and dots allowed
    between its letters ("p. m.")."""
    return _period_pattern(word, at_end).sub(" ", text, count=1)


def parse_month_date(text: str, *, day_first: bool = False) -> datetime:
    """A date and time as an app writes it in any language, as a naive datetime:
    `6 mei 2013 15:39:08`, `26 okt. 2013`, `8 jul 2017, 15:25:34`, `May 29, 2022, 3:53:35 PM`,
    `29. Mai 2022, 15:53:35`, `29 de mai. de 2022 15:53:35`, `2022. máj. 29. 15:53:35`,
    `2022/05/29 15:53:35`, `29.05.2022 15:53:35`. Raises ValueError for anything else,
    including `05/06/2022` unless `day_first` (then 5 June)."""
    original = text
    text = unicodedata.normalize("NFC", text).replace("\u202f", " ").replace("\u00a0", " ")
    text = text.replace("\u200f", "").replace("\u200e", "")  # Arabic's direction marks
    hour, minute, second, rest = _clock(text)
    day = month = year = None
    numeric = _YEAR_FIRST.search(rest)
    if numeric:
        year, month, day = int(numeric[1]), int(numeric[2]), int(numeric[3])
    elif numeric := _DAY_FIRST.search(rest):
        day, month, year = int(numeric[1]), int(numeric[3]), int(numeric[4])
    elif numeric := _SLASHED.search(rest):
        first, second_part, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
        if first > 12 >= second_part or (day_first and second_part <= 12):
            day, month = first, second_part
        elif second_part > 12 >= first:
            month, day = first, second_part
        else:
            raise ValueError(f"cannot tell the day from the month in {original.strip()!r}")
    if numeric:
        leftover = rest[: numeric.start()] + rest[numeric.end():]
        if _NUMBER.search(leftover):
            raise ValueError(f"not a date: {original.strip()!r}")
    else:
        months = {number for word in _WORD.findall(rest)
                  if (number := month_number(word)) is not None}
        numbers = _NUMBER.findall(rest)
        years = [int(number) for number in numbers if len(number) == 4]
        days = [int(number) for number in numbers if len(number) <= 2]
        if len(months) != 1 or len(years) != 1 or len(days) != 1 or len(numbers) != 2:
            raise ValueError(f"not a date: {original.strip()!r}")
        (month,), (year,), (day,) = months, years, days
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise ValueError(f"not a date: {original.strip()!r}") from None
