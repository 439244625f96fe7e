"""Generate runlog/interchange/_months.py: month names of every CLDR language -> month number.

    .venv/bin/python tools/make_months.py          # rewrite the table
    .venv/bin/python tools/make_months.py --check  # exit 1 when the committed table differs

The source is the Unicode CLDR through Babel (`pip install babel`; a development tool only:
runlog never imports Babel). For every locale Babel ships, the wide and abbreviated month
names, in their format ("29 de maio") and stand-alone ("maio") forms, are lower-cased, with
a trailing dot removed ("okt." -> "okt") and inner spaces kept out (no Strava or Garmin date
writes one). A word that names different months in different languages ("mar": March in
English, but a word of other months elsewhere) is resolved by the languages Strava and Garmin
Connect export in (PREFERRED), when those agree on one month; otherwise it is dropped.
tests/interchange/test_strava_i18n.py checks that the committed table equals this output.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "runlog" / "interchange" / "_months.py"

# Languages the apps' exports are written in (Strava's and Garmin Connect's language menus),
# which decide a word that other languages use for another month.
PREFERRED = (
    "en", "de", "fr", "es", "it", "nl", "pt", "da", "sv", "nb", "no", "fi", "pl", "cs", "hu",
    "ru", "ja", "zh", "ko", "tr", "el", "ro", "sk", "sl", "hr", "uk", "id", "th", "he", "bg",
    "et", "lv", "lt", "ms", "vi", "sr", "ca", "ar",
)


def normalise(word: str) -> str:
    """How a word is looked up: NFC, lower-cased, a trailing dot removed."""
    return unicodedata.normalize("NFC", word).strip().lower().rstrip(".")


def collect() -> tuple[str, dict[str, int]]:
    import babel
    from babel import Locale
    from babel.core import get_cldr_version
    from babel.localedata import locale_identifiers

    months: dict[str, set[int]] = {}
    preferred: dict[str, set[int]] = {}
    fillers: set[str] = set()  # words a date is written with that are no month ("de", "del")
    periods: dict[str, set[str]] = {"am": set(), "pm": set()}
    for identifier in sorted(locale_identifiers()):
        try:
            locale = Locale.parse(identifier)
        except Exception:  # noqa: BLE001 - a locale Babel lists but cannot load
            continue
        language = identifier.split("_")[0]
        if language in PREFERRED:
            fillers |= _literals(locale)
            for width in ("abbreviated", "wide"):
                try:
                    marks = locale.day_periods["format"][width]
                except KeyError:
                    continue
                for period in ("am", "pm"):
                    if period in marks:
                        periods[period].add(squeeze(marks[period]))
                # flexible periods ("凌晨" early morning, "晚上" evening): before or after
                # noon by where their CLDR rule starts
                rules = dict(locale.day_period_rules.get(None, {}))
                for period, mark in marks.items():
                    if period in ("am", "pm") or period not in rules:
                        continue
                    rule = rules[period][0]
                    start = rule.get("at", rule.get("from", 0))
                    periods["am" if start < 43200 else "pm"].add(squeeze(mark))
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                try:
                    names = locale.months[context][width]
                except KeyError:
                    continue
                for number, name in names.items():
                    word = normalise(name)
                    if not word or any(ch.isspace() for ch in word) or word.isdigit():
                        continue
                    months.setdefault(word, set()).add(number)
                    if language in PREFERRED:
                        preferred.setdefault(word, set()).add(number)
    table: dict[str, int] = {}
    unwanted = fillers | periods["am"] | periods["pm"]
    for word, numbers in months.items():
        if word in unwanted:
            continue
        if len(numbers) == 1:
            table[word] = next(iter(numbers))
        elif len(preferred.get(word, ())) == 1:
            table[word] = next(iter(preferred[word]))
    source = f"CLDR {get_cldr_version()} through Babel {babel.__version__}"
    clash = periods["am"] & periods["pm"]
    return (source, dict(sorted(table.items())), sorted(periods["am"] - clash - {""}),
            sorted(periods["pm"] - clash - {""}))


def squeeze(word: str) -> str:
    """How a day period is looked up: normalised, without dots or spaces ("p. m." -> "pm")."""
    return re.sub(r"[\s.]", "", normalise(word))


def _literals(locale) -> set[str]:
    """The words quoted in a locale's date and date-time patterns ("d 'de' MMMM 'de' y")."""
    words: set[str] = set()
    patterns = [str(getattr(locale.date_formats[k], "pattern", locale.date_formats[k]))
                for k in ("full", "long", "medium", "short")]
    patterns += [str(locale.datetime_formats[k]) for k in ("full", "long", "medium", "short")]
    for pattern in patterns:
        for literal in re.findall(r"'([^']+)'", pattern):
            words.update(normalise(word) for word in literal.split() if word.strip("."))
    return words


def render(source: str, table: dict[str, int], am: list[str], pm: list[str]) -> str:
    lines = [
        f'"""Month names -> month number, generated by tools/make_months.py from {source}.',
        "",
        "Do not edit by hand: a test compares this file with the generator's output.",
        '"""',
        "",
        f"SOURCE = {source!r}",
        "# Day periods of the apps' languages, without dots or spaces (\"p. m.\" -> \"pm\")",
        f"AM = frozenset({am!r})",
        f"PM = frozenset({pm!r})",
        "MONTHS = {",
    ]
    lines += [f"    {word!r}: {number}," for word, number in table.items()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render(*collect())
    if "--check" in argv:
        same = TABLE.exists() and TABLE.read_text(encoding="utf-8") == text
        print("the month table is up to date" if same else f"{TABLE} differs from CLDR")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE} ({text.count(chr(10)) - 11} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
