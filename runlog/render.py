"""Turning entries and results into text: units, one-line summaries, tables."""

from __future__ import annotations

from collections.abc import Sequence

from .model import METRES_PER_MILE, Entry
from .safetext import one_line, visible

MOOD_WORDS = {1: "awful", 2: "bad", 3: "okay", 4: "good", 5: "great"}


def unit_metres(units: str) -> float:
    return METRES_PER_MILE if units == "mi" else 1000.0


def format_distance(metres: float | None, units: str) -> str:
    if metres is None:
        return "–"
    return f"{metres / unit_metres(units):.2f} {units}"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(s_per_km: float | None, units: str) -> str:
    if s_per_km is None:
        return "–"
    per_unit = s_per_km * unit_metres(units) / 1000
    return f"{format_duration(per_unit)} /{units}"


def format_mood(mood: int | None) -> str:
    return "–" if mood is None else str(mood)


def format_lift(lift: float | None, digits: int = 0) -> str:
    if lift is None:
        return "–"
    return signed(lift, digits)


def half_away(value: float, digits: int) -> str:
    """`value` with `digits` decimals, a half rounded away from zero (1.25 → 1.3,
    -1.25 → -1.3, 2.45 → 2.5): the decimal the number was written as (its repr) is
    rounded, not the binary float, which holds 2.45 as 2.4499999999999999556. A mean of
    whole moods is one division, so its repr is the exact mean whenever that has few
    digits. A zero is never shown as -0.0."""
    from decimal import Decimal

    return _half_away(Decimal(repr(value)), digits)


def _half_away(value, digits: int) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    rounded = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{rounded.copy_abs() if rounded.is_zero() else rounded:f}"


def signed(value: float, digits: int) -> str:
    """`half_away` with its sign: +1.3, -0.5, +0.0."""
    text = half_away(value, digits)
    return text if text.startswith("-") else "+" + text


def percent(share: float) -> str:
    """A share as a whole percent, a half away from zero; one that rounds to 0 or 100 but
    isn't is `<1%` or `>99%`, so a feeling named once in a thousand runs doesn't read 0%."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    from decimal import Decimal

    return _half_away(Decimal(repr(share)) * 100, 0) + "%"


def format_date(entry: Entry) -> str:
    """`2026-11-21` or `2026-11-21 07:30` (local time; the offset is in JSON)."""
    return entry.date[:10] if not entry.has_time else f"{entry.date[:10]} {entry.date[11:16]}"


def mood_word(mood: int) -> str:
    """`4 (good)`."""
    word = MOOD_WORDS.get(mood)
    return f"{mood} ({word})" if word else str(mood)


def moods(entry: Entry) -> str:
    """The moods in words, saying which one a lone mood is: `mood 2→4 (+2)`, `mood before 2
    (bad)`, `mood after 4 (good)`. A rest day or check-in has one mood: `mood 4 (good)`."""
    before, after = entry.mood_before, entry.mood_after
    if before is not None and after is not None:
        return f"mood {before}→{after} ({entry.mood_lift:+d})"
    if before is None and after is None:
        return ""
    if not entry.is_activity:
        return "mood " + mood_word(before if after is None else after)
    return f"mood before {mood_word(before)}" if after is None else f"mood after {mood_word(after)}"


def mood_cell(entry: Entry) -> str:
    """The moods in a table cell: `2→4`, and for a run with one of them `2→–` (before
    only) or `–→4` (after only), so the two never read alike; a rest day or check-in's one
    mood is just `4`."""
    before, after = entry.mood_before, entry.mood_after
    if before is None and after is None:
        return "–"
    if not entry.is_activity and (before is None or after is None):
        return str(before if after is None else after)
    return f"{format_mood(before)}→{format_mood(after)}"


def summary(entry: Entry, units: str) -> str:
    """The one-line confirmation `add` prints, also used by `show` and `edit`."""
    parts = []
    if entry.is_activity:
        what = entry.kind
        if entry.distance_m is not None:
            what += " " + format_distance(entry.distance_m, units)
        if entry.duration_s is not None:
            what += " in " + format_duration(entry.duration_s)
        if entry.pace_s_per_km is not None:
            what += f" ({format_pace(entry.pace_s_per_km, units)})"
        parts.append(what)
    else:
        parts.append("rest day" if entry.kind == "rest" else "check-in")
    parts.append(format_date(entry))
    mood = moods(entry)
    if mood:
        parts.append(mood)
    if entry.emotions:
        parts.append(", ".join(entry.emotions))
    if entry.cried:
        parts.append(f"cried {entry.cried}")
    return f"#{entry.id} " + " · ".join(parts)


LIST_COLUMNS = ("id", "date", "kind", "distance", "time", "pace", "mood", "felt")


def list_row(entry: Entry, units: str) -> tuple[str, ...]:
    mood = mood_cell(entry)
    felt = ", ".join(entry.emotions)
    if entry.cried:
        felt = (felt + " " if felt else "") + "(cried)"
    return (
        str(entry.id),
        format_date(entry),
        entry.kind,
        format_distance(entry.distance_m, units) if entry.distance_m else "",
        format_duration(entry.duration_s) if entry.duration_s else "",
        format_pace(entry.pace_s_per_km, units) if entry.pace_s_per_km else "",
        mood,
        felt,
    )


def _cells(rows: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """Each cell as one line of plain characters: control, bidi, newline and tab spelled
    out (`\\x1b`, `\\n`), before the columns are measured."""
    return [tuple(one_line(cell) for cell in row) for row in rows]


def plain_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned columns without escape codes, for pipes: one line per row with every cell
    whole, however wide (`runlog list | grep cried` finds what it shows on a terminal)."""
    if not rows:
        return ""
    table = [tuple(header)] + _cells(rows)
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for row in table:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def rich_table(title: str | None, header: Sequence[str], rows: Sequence[Sequence[str]],
               right: Sequence[str] = (), lead: int = 1):
    """The same table for a terminal, fitted to its width when printed: every column is
    kept and cells wrap at their spaces (no word is cut, nothing is dropped); when even
    that can't fit, each row is stacked as its first `lead` cells over `name value` lines."""
    return FoldingTable(title, header, _cells(rows), right, lead)


class FoldingTable:
    """A Rich renderable: the table at the width of the console it is printed to."""

    GAP = 2  # between columns (Rich's padding, collapsed)
    LONGEST_WORD = 20  # the last column may cut a word longer than this

    def __init__(self, title, header, rows, right, lead):
        self.title, self.header, self.rows = title, tuple(header), rows
        self.right, self.lead = tuple(right), lead

    def column_widths(self, width: int) -> list[int] | None:
        """Each column's width within `width`, or None when the words can't fit."""
        from rich.cells import cell_len

        columns = list(zip(self.header, *self.rows))
        natural = [max(map(cell_len, column)) for column in columns]
        words = [max((cell_len(word) for cell in column for word in cell.split()), default=1)
                 for column in columns]
        words[-1] = min(words[-1], self.LONGEST_WORD)
        room = width - self.GAP * (len(columns) - 1)
        widths = list(natural)
        # The last column (the feelings) gives way first, down to its longest word; then
        # the others wrap at their spaces (a date over its time), the longest first.
        widths[-1] = max(words[-1], min(natural[-1], room - sum(natural[:-1])))
        for index in sorted(range(len(columns) - 1), key=lambda i: words[i] - natural[i]):
            if sum(widths) <= room:
                break
            widths[index] = words[index]
        if sum(widths) > room:
            return None
        widths[-1] = min(natural[-1], widths[-1] + room - sum(widths))
        return widths

    def __rich_console__(self, console, options):
        widths = self.column_widths(options.max_width)
        if widths is None:
            yield from self.stacked(options.max_width)
        else:
            yield self.table(widths)

    def table(self, widths: list[int]):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        # SIMPLE_HEAD draws no column rules, so a table is as narrow as its plain twin.
        table = Table(title=self.title and Text(one_line(self.title)), header_style="bold",
                      box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                      collapse_padding=True)
        for name, width in zip(self.header, widths):
            table.add_column(name, justify="right" if name in self.right else "left",
                             width=width, overflow="fold")
        for row in self.rows:
            # Text, not str: `[bold]` or `[link=...]` in a tag is shown, not read as markup.
            table.add_row(*(Text(cell) for cell in row))
        return table

    def stacked(self, width: int):
        from rich.text import Text

        if self.title:
            yield Text(one_line(self.title), style="bold")
        for row in self.rows:
            yield Text("  ".join(cell for cell in row[:self.lead] if cell), style="bold")
            items = [f"{name} {cell}" for name, cell in zip(self.header[self.lead:],
                                                          row[self.lead:]) if cell]
            for line in _packed(items, width - 2):
                yield Text("  " + line)


def _packed(items: Sequence[str], width: int) -> list[str]:
    """Items joined by ` · ` into lines of at most `width`; an item longer than a line
    wraps at its spaces."""
    import textwrap

    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + 3 + len(item) <= width:
            lines[-1] += " · " + item
        else:
            lines += textwrap.wrap(item, max(width, 1), break_on_hyphens=False) or [item]
    return lines


def entry_details(entry: Entry, units: str) -> list[tuple[str, str]]:
    """Field/value pairs for `runlog show`."""
    rows = [
        ("id", str(entry.id)),
        ("date", entry.date),
        ("kind", entry.kind),
        ("distance", format_distance(entry.distance_m, units)),
        ("time", format_duration(entry.duration_s)),
        ("pace", format_pace(entry.pace_s_per_km, units)),
        *_mood_details(entry),
        ("felt", ", ".join(entry.emotions) or "–"),
        ("cried", entry.cried or "–"),
        ("effort", "–" if entry.effort is None else f"{entry.effort}/10"),
        ("pain", "–" if entry.pain is None else f"{entry.pain}/10"),
        ("where", entry.where or "–"),
        ("intention", entry.intention or "–"),
        ("note", entry.note or "–"),
        ("tags", ", ".join(entry.tags) or "–"),
        ("uuid", entry.uuid),
    ]
    if entry.deleted_at:
        rows.append(("in trash since", entry.deleted_at))
    return rows


def _mood_details(entry: Entry) -> list[tuple[str, str]]:
    """A run's mood before, after and lift; a rest day or check-in's one mood (as `add`
    said it), unless it has both."""
    before, after = entry.mood_before, entry.mood_after
    if not entry.is_activity and (before is None or after is None):
        mood = before if after is None else after
        return [("mood", "–" if mood is None else mood_word(mood))]
    return [
        ("mood before", "–" if before is None else mood_word(before)),
        ("mood after", "–" if after is None else mood_word(after)),
        ("lift", format_lift(entry.mood_lift)),
    ]


def details_text(rows: Sequence[tuple[str, str]]) -> str:
    """Field/value pairs as aligned lines, every value whole, however long (a terminal
    wraps a long line; a pipe gets it as one). A value of several lines (a note) keeps its
    lines, indented under the value, so no line of it can pass for a field of its own."""
    lines = []
    for name, value in rows:
        first, *more = visible(value).split("\n")
        lines.append(f"{name:<15}{first}")
        lines += [f"{'':<15}{line}" for line in more]
    return "\n".join(lines)


# -- reflection reports ---------------------------------------------------------------

MOOD_COLUMNS = ("period", "runs", "distance", "time", "before", "after", "lift", "cried",
                "felt most")


def _mean(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else half_away(value, digits)


def mood_rows(review: dict, units: str) -> list[tuple[str, ...]]:
    rows = []
    for row in review["rows"]:
        top = list(row["emotions"])[:2]
        rows.append((
            row["period"],
            str(row["runs"]),
            format_distance(row["distance_km"] * 1000, units) if row["runs"] else "–",
            format_duration(row["duration_s"]) if row["runs"] else "–",
            _mean(row["mood_before"]),
            _mean(row["mood_after"]),
            "–" if row["mood_lift"] is None else signed(row["mood_lift"], 1),
            str(row["cried"]) if row["cried"] else "",
            ", ".join(top),
        ))
    return rows


def _strength(r: float) -> str:
    size = abs(r)
    if size < 0.1:
        return ""
    return "slightly " if size < 0.3 else ("" if size < 0.5 else "clearly ")


def correlation_lines(review: dict, width: int | None = None) -> list[str]:
    """The two correlations in words, with ρ and n, or why there is none yet, wrapped to
    `width` (default: the terminal's, see `output_width`)."""
    import textwrap

    width = output_width() if width is None else width
    return [textwrap.fill(line, width) for line in _correlation_sentences(review)]


def _correlation_sentences(review: dict) -> list[str]:
    weekly = review["correlation"]["weekly_distance_vs_mood_after"]
    runs = review["correlation"]["run_distance_vs_mood_lift"]
    lines = []
    if weekly["r"] is None:
        lines.append(f"Weekly distance and mood: not enough data yet ({_count(weekly['n'], 'week')} "
                     "with moods; needs 5 with some variation).")
    elif abs(weekly["r"]) < 0.1:
        lines.append(f"Weekly distance and mood after: no clear link "
                     f"(ρ = {weekly['r']:.2f} over {weekly['n']} weeks).")
    else:
        better = "better" if weekly["r"] > 0 else "lower"
        lines.append(f"Longer weeks have {_strength(weekly['r'])}tended to go with {better} "
                     f"moods after runs (ρ = {weekly['r']:.2f} over {weekly['n']} weeks).")
    if runs["r"] is None:
        lines.append(f"Run distance and mood lift: not enough data yet ({_count(runs['n'], 'run')} "
                     "with both moods; needs 5 with some variation).")
    elif abs(runs["r"]) < 0.1:
        lines.append(f"Run distance and mood lift: no clear link "
                     f"(ρ = {runs['r']:.2f} over {runs['n']} runs).")
    else:
        more = "more" if runs["r"] > 0 else "less"
        lines.append(f"Longer runs have {_strength(runs['r'])}tended to lift your mood {more} "
                     f"(ρ = {runs['r']:.2f} over {runs['n']} runs).")
    return lines


def mood_chart(review: dict, units: str, width: int | None = None) -> str:
    """Distance as bars and mood after on a 1-5 scale, one line per period, as wide as
    `width` (default: the terminal's, or COLUMNS) and never wider, from about 30 columns on.
    The dot sits on the mean as shown, rounded a half away from zero (3.5 → 4)."""
    rows = review["rows"]
    if not rows:
        return "No periods in that range."
    width = output_width() if width is None else width
    label_width = max(len(row["period"]) for row in rows)
    most = max((row["distance_km"] for row in rows), default=0) or 1
    shown = [half_away(row["distance_km"] * 1000 / unit_metres(units), 1) for row in rows]
    number_width = max(len(units), *map(len, shown))
    mood_head = "mood after"  # as wide as the widest mood: "··●·· 3.5"
    bar_space = max(1, min(MOST_BAR, width - label_width - number_width - len(mood_head) - 5))
    head = "distance" if bar_space >= len("distance") else ""
    lines = [f"{'':<{label_width}}  {head:<{bar_space}} {units:>{number_width}}  {mood_head}"]
    for row, distance in zip(rows, shown):
        bar = "█" * int(bar_space * row["distance_km"] / most + 0.5)
        if row["mood_after"] is None:
            mood = "–"
        else:
            mean = half_away(row["mood_after"], 1)
            position = int(half_away(float(mean), 0))
            mood = "".join("●" if i == position else "·" for i in range(1, 6)) + " " + mean
        lines.append(f"{row['period']:<{label_width}}  {bar:<{bar_space}} "
                     f"{distance:>{number_width}}  {mood}")
    return "\n".join(lines)


MOST_BAR = 100  # a bar longer than this says nothing more, on however wide a terminal


def output_width() -> int:
    """The width to write for: COLUMNS, else the terminal's, else 80; kept within 20-1000
    so an odd COLUMNS can't ask for a line of a billion characters."""
    import shutil

    return min(max(shutil.get_terminal_size().columns, 20), 1000)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def stats_lines(stats: dict, units: str) -> list[str]:
    lines = [
        f"Runs: {stats['runs']}   distance: {format_distance(stats['distance_km'] * 1000, units)}"
        f"   time: {format_duration(stats['duration_s'])}",
    ]
    longest = stats["longest"]
    if longest:
        lines.append(f"Longest run: {format_distance(longest['distance_km'] * 1000, units)} "
                     f"on {longest['date'][:10]} (#{longest['id']})")
    # Runners name these by their races, in miles too; the paces follow the units.
    names = {"1k": "1K+", "5k": "5K+", "10k": "10K+", "half": "half+"}
    paces = [f"{names[b]} {format_pace(p['pace_s_per_km'], units)}"
             for b, p in stats["best_pace"].items() if p]
    if paces:
        lines.append("Best pace: " + " · ".join(paces))
    s = stats["streaks"]
    lines.append(f"Streaks: {_count(s['current_days'], 'day')} now (longest "
                 f"{s['longest_days']}), {_count(s['current_weeks'], 'week')} now (longest "
                 f"{s['longest_weeks']})")
    if stats["lifted_share"] is not None:
        lines.append(f"Runs that lifted your mood: {percent(stats['lifted_share'])}")
    if stats["milestones"]:
        from .analysis.records import describe_milestone

        lines.append("Milestones:")
        lines += [f"  ★ {describe_milestone(m, units)} ({m['day']})"
                  for m in stats["milestones"][-5:]]
    return lines


def _mean_distance(km: float, units: str) -> str:
    """A mean distance, a half away from zero like every mean shown (5.005 km → 5.01 km)."""
    return f"{half_away(km if units == 'km' else km * 1000 / unit_metres(units), 2)} {units}"


EMOTION_COLUMNS = ("emotion", "valence", "times", "share", "mean distance", "mean lift")


def emotion_rows(report: list[dict], units: str) -> list[tuple[str, ...]]:
    return [
        (
            row["name"] + (" *" if row["long_runs"] else ""),
            row["valence"],
            str(row["count"]),
            "–" if row["share"] is None else percent(row["share"]),
            "–" if row["distance_km_mean"] is None
            else _mean_distance(row["distance_km_mean"], units),
            "–" if row["mood_lift_mean"] is None else signed(row["mood_lift_mean"], 1),
        )
        for row in report
    ]


SEVERITY_HEADS = {"warning": "Warning", "caution": "Caution"}


def insight_text(result: dict, width: int | None = None) -> str:
    """Warnings and cautions as paragraphs, milestones as one line each, wrapped to `width`
    (default: the terminal's, see `output_width`)."""
    return "\n\n".join(block for _, block in insight_blocks(result, width))


def insight_blocks(result: dict, width: int | None = None) -> list[tuple[str, str]]:
    """`insight_text` as (tone, paragraph) pairs for `echo(paragraph, tone=tone)`, printed a
    blank line apart: each warning ("warning") or caution ("caution") a paragraph, the
    milestones ("milestone") one line each in one paragraph."""
    import textwrap

    width = output_width() if width is None else width
    blocks, proud = [], []
    for finding in result["findings"]:
        if finding["severity"] == "info":
            proud.append(textwrap.fill("★ " + finding["message"], width, subsequent_indent="  ",
                                       break_long_words=False, break_on_hyphens=False))
            continue
        head = f"{SEVERITY_HEADS.get(finding['severity'], finding['severity'])} "\
               f"({finding['code'].replace('_', ' ')})"
        body = "\n".join(textwrap.fill(line, width, break_long_words=False,
                                       break_on_hyphens=False)
                         for line in finding["message"].split("\n"))
        tone = finding["severity"] if finding["severity"] in SEVERITY_HEADS else None
        blocks.append((tone, f"{head}\n{body}"))
    if proud:
        blocks.append(("milestone", "\n".join(proud)))
    return blocks
