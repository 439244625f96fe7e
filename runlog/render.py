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
    return f"{lift:+.{digits}f}"


def format_date(entry: Entry) -> str:
    """`2026-11-21` or `2026-11-21 07:30` (local time; the offset is in JSON)."""
    return entry.date[:10] if not entry.has_time else f"{entry.date[:10]} {entry.date[11:16]}"


def moods(entry: Entry) -> str:
    if entry.mood_before is not None and entry.mood_after is not None:
        return f"mood {entry.mood_before}→{entry.mood_after} ({entry.mood_lift:+d})"
    if entry.mood_after is not None:
        return f"mood {entry.mood_after} ({MOOD_WORDS[entry.mood_after]})"
    if entry.mood_before is not None:
        return f"mood before {entry.mood_before}"
    return ""


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
    if entry.mood_before is not None and entry.mood_after is not None:
        mood = f"{entry.mood_before}→{entry.mood_after}"
    else:
        mood = format_mood(entry.mood_after if entry.mood_after is not None else entry.mood_before)
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


def plain_table(header: Sequence[str], rows: Sequence[Sequence[str]], width: int = 80) -> str:
    """Aligned columns without escape codes, for pipes; the last column is cut to fit."""
    if not rows:
        return ""
    table = [tuple(header)] + _cells(rows)
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for row in table:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        line = "  ".join(cells).rstrip()
        if len(line) > width:
            line = line[: width - 1] + "…"
        lines.append(line)
    return "\n".join(lines)


def rich_table(title: str | None, header: Sequence[str], rows: Sequence[Sequence[str]],
               right: Sequence[str] = ()):
    """The same table for a terminal: Rich folds the text columns to fit."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    rows = _cells(rows)
    # SIMPLE_HEAD draws no column rules, so a table is as narrow as its plain twin.
    table = Table(title=title and Text(one_line(title)), header_style="bold",
                  box=box.SIMPLE_HEAD, show_edge=False,
                  pad_edge=False, collapse_padding=True)
    last = len(header) - 1
    for index, name in enumerate(header):
        # Every column keeps its full width but the last (the feelings), which gives way.
        widest = max([len(name)] + [len(row[index]) for row in rows])
        if index == last:
            table.add_column(name, overflow="fold")
        else:
            table.add_column(name, justify="right" if name in right else "left",
                             no_wrap=True, min_width=widest)
    for row in rows:
        # Text, not str: `[bold]` or `[link=...]` in a tag is shown, not read as markup.
        table.add_row(*(Text(cell) for cell in row))
    return table


def entry_details(entry: Entry, units: str) -> list[tuple[str, str]]:
    """Field/value pairs for `runlog show`."""
    rows = [
        ("id", str(entry.id)),
        ("date", entry.date),
        ("kind", entry.kind),
        ("distance", format_distance(entry.distance_m, units)),
        ("time", format_duration(entry.duration_s)),
        ("pace", format_pace(entry.pace_s_per_km, units)),
        ("mood before", format_mood(entry.mood_before)),
        ("mood after", format_mood(entry.mood_after)),
        ("lift", format_lift(entry.mood_lift)),
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


def details_text(rows: Sequence[tuple[str, str]]) -> str:
    """Field/value pairs as aligned lines. A value of several lines (a note) keeps its
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
    return "–" if value is None else f"{value:.{digits}f}"


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
            "–" if row["mood_lift"] is None else f"{row['mood_lift']:+.1f}",
            str(row["cried"]) if row["cried"] else "",
            ", ".join(top),
        ))
    return rows


def _strength(r: float) -> str:
    size = abs(r)
    if size < 0.1:
        return ""
    return "slightly " if size < 0.3 else ("" if size < 0.5 else "clearly ")


def correlation_lines(review: dict, width: int = 80) -> list[str]:
    """The two correlations in words, with ρ and n, or why there is none yet."""
    import textwrap

    return [textwrap.fill(line, width) for line in _correlation_sentences(review)]


def _correlation_sentences(review: dict) -> list[str]:
    weekly = review["correlation"]["weekly_distance_vs_mood_after"]
    runs = review["correlation"]["run_distance_vs_mood_lift"]
    lines = []
    if weekly["r"] is None:
        lines.append(f"Weekly distance and mood: not enough data yet ({weekly['n']} weeks "
                     "with moods; needs 5 with some variation).")
    elif abs(weekly["r"]) < 0.1:
        lines.append(f"Weekly distance and mood after: no clear link "
                     f"(ρ = {weekly['r']:.2f} over {weekly['n']} weeks).")
    else:
        better = "better" if weekly["r"] > 0 else "lower"
        lines.append(f"Longer weeks have {_strength(weekly['r'])}tended to go with {better} "
                     f"moods after runs (ρ = {weekly['r']:.2f} over {weekly['n']} weeks).")
    if runs["r"] is None:
        lines.append(f"Run distance and mood lift: not enough data yet ({runs['n']} runs "
                     "with both moods; needs 5 with some variation).")
    elif abs(runs["r"]) < 0.1:
        lines.append(f"Run distance and mood lift: no clear link "
                     f"(ρ = {runs['r']:.2f} over {runs['n']} runs).")
    else:
        more = "more" if runs["r"] > 0 else "less"
        lines.append(f"Longer runs have {_strength(runs['r'])}tended to lift your mood {more} "
                     f"(ρ = {runs['r']:.2f} over {runs['n']} runs).")
    return lines


def mood_chart(review: dict, units: str, width: int = 80) -> str:
    """Distance as bars and mood after as a 1-5 scale, one line per period."""
    rows = review["rows"]
    if not rows:
        return "No periods in that range."
    label_width = max(len(row["period"]) for row in rows)
    most = max((row["distance_km"] for row in rows), default=0) or 1
    mood_width = 11  # "mood ·····" : five steps
    bar_space = max(10, width - label_width - mood_width - 15)
    lines = [f"{'':<{label_width}}  {'distance':<{bar_space}} {units:>7}  mood after 1-5"]
    for row in rows:
        shown = row["distance_km"] * 1000 / unit_metres(units)
        bar = "█" * round(bar_space * row["distance_km"] / most)
        if row["mood_after"] is None:
            mood = "  –"
        else:
            position = round(row["mood_after"])
            mood = "  " + "".join("●" if i == position else "·" for i in range(1, 6))
            mood += f" {row['mood_after']:.1f}"
        lines.append(f"{row['period']:<{label_width}}  {bar:<{bar_space}} {shown:>7.1f}{mood}")
    return "\n".join(lines)


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
    names = {"1k": "1 km+", "5k": "5 km+", "10k": "10 km+", "half": "half+"}
    paces = [f"{names[b]} {format_pace(p['pace_s_per_km'], units)}"
             for b, p in stats["best_pace"].items() if p]
    if paces:
        lines.append("Best pace: " + " · ".join(paces))
    s = stats["streaks"]
    lines.append(f"Streaks: {_count(s['current_days'], 'day')} now (longest "
                 f"{s['longest_days']}), {_count(s['current_weeks'], 'week')} now (longest "
                 f"{s['longest_weeks']})")
    if stats["lifted_share"] is not None:
        lines.append(f"Runs that lifted your mood: {stats['lifted_share']:.0%}")
    if stats["milestones"]:
        from .analysis.records import describe_milestone

        lines.append("Milestones:")
        lines += [f"  ★ {describe_milestone(m, units)} ({m['day']})"
                  for m in stats["milestones"][-5:]]
    return lines


EMOTION_COLUMNS = ("emotion", "valence", "times", "share", "mean distance", "mean lift")


def emotion_rows(report: list[dict], units: str) -> list[tuple[str, ...]]:
    return [
        (
            row["name"] + (" *" if row["long_runs"] else ""),
            row["valence"],
            str(row["count"]),
            "–" if row["share"] is None else f"{row['share']:.0%}",
            "–" if row["distance_km_mean"] is None
            else format_distance(row["distance_km_mean"] * 1000, units),
            "–" if row["mood_lift_mean"] is None else f"{row['mood_lift_mean']:+.1f}",
        )
        for row in report
    ]


SEVERITY_HEADS = {"warning": "Warning", "caution": "Caution"}


def insight_text(result: dict, width: int = 80) -> str:
    """Warnings and cautions as paragraphs, milestones as one line each."""
    import textwrap

    blocks, proud = [], []
    for finding in result["findings"]:
        if finding["severity"] == "info":
            proud.append(textwrap.fill("★ " + finding["message"], width, subsequent_indent="  "))
            continue
        head = f"{SEVERITY_HEADS.get(finding['severity'], finding['severity'])} "\
               f"({finding['code'].replace('_', ' ')})"
        body = "\n".join(textwrap.fill(line, width) for line in finding["message"].split("\n"))
        blocks.append(f"{head}\n{body}")
    if proud:
        blocks.append("\n".join(proud))
    return "\n\n".join(blocks)
