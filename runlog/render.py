"""Turning entries and results into text: units, one-line summaries, tables."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Entry

METRES_PER_MILE = 1609.344
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


def plain_table(header: Sequence[str], rows: Sequence[Sequence[str]], width: int = 80) -> str:
    """Aligned columns without escape codes, for pipes; the last column is cut to fit."""
    if not rows:
        return ""
    table = [tuple(header)] + [tuple(row) for row in rows]
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
    from rich.table import Table

    table = Table(title=title, header_style="bold", show_edge=False, pad_edge=False)
    for name in header:
        numeric = name in right
        table.add_column(name, justify="right" if numeric else "left",
                         no_wrap=numeric, overflow="fold")
    for row in rows:
        table.add_row(*row)
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
