"""Garmin Connect's `Activities.csv` (Activities > All Activities > Export CSV), in the
account's language and distance unit.

Headers and activity types come in the account's language (`Aktivitätstyp,Datum,Favorit,
Titel,Distanz,...`, `Laufen`; `Tipo de actividad,Fecha,...`, `Carrera`). Columns are found by
their names in any language of the table below; a Garmin file in a language the table lacks
(told by the brand names Garmin never translates, "Training Stress Score®"...) is read by
position, which is the same in every export seen: type, date, favourite, title, distance,
calories, time. Activity types are read by the words for running, treadmill, trail and
walking in those languages; any other type is another sport, counted under its own name.
Where each string comes from: tests/data/garmin_i18n/SOURCES.md.

Numbers follow the account's locale, each value on its own (a file may mix them): `"3,40"`
km with a decimal comma or `3.40`; `--` means missing. `Date` is local wall time without a
zone (ISO, or with a month name in any language): it is read in this machine's zone.

Units: the header never says whether Distance is in kilometres or miles. Unless the runner
says (`units`), the file tells it by physics: cadence (steps a minute) x stride length
(metres in every export, whatever the account's units) x minutes is the distance in metres,
about 1000 times the Distance of a km account and 1609 times that of a miles one. Where no
row can tell (no stride or cadence columns), the file is refused naming `--units`. Either
way a Notice says which unit was read.

Choices: the duration is `Elapsed Time` (like Strava's and FIT's), falling back to `Time`;
the Title becomes the note unless it is Garmin's default ("<place> <activity type>").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from runlog.interchange import Bad, Notice, Record, Skipped
from runlog.interchange._common import (
    METRES_PER_UNIT,
    activity,
    csv_records,
    parse_clock,
    parse_number,
    positive,
)

SOURCE = "garmin"

# Garmin's header names, as real exports spell them (English, German, French, Spanish,
# Portuguese, Italian, Dutch, Norwegian, Polish: tests/data/garmin_i18n/SOURCES.md). A
# role's column is the first whose name is one of its names; no name has two roles.
NAMES = {
    "type": ("Activity Type", "Aktivitätstyp", "Type d'activité", "Tipo de actividad",
             "Tipo de atividade", "Tipo di attività", "Activiteittype", "Aktivitetstype",
             "Typ aktywności"),
    "date": ("Date", "Datum", "Fecha", "Data", "Dato"),
    "title": ("Title", "Titel", "Titre", "Título", "Titolo", "Tittel", "Tytuł"),
    "distance": ("Distance", "Distanz", "Distancia", "Distância", "Distanza", "Afstand",
                 "Distanse", "Dystans"),
    "time": ("Time", "Activity Time", "Zeit", "Durée", "Tiempo", "Tempo", "Tijd", "Tid",
             "Czas"),
    "elapsed": ("Elapsed Time", "Verstrichene Zeit", "Temps écoulé", "Tiempo transcurrido",
                "Duração", "Tempo trascorso", "Verstreken tijd", "Medgått tid"),
    "moving": ("Moving Time", "Zeit in Bewegung", "Temps de déplacement",
               "Tiempo en movimiento", "Tempo em movimento", "Tempo in movimento",
               "Tijd bewogen", "Tid i bevegelse"),
    "cadence": ("Avg Run Cadence", "Ø Schrittfrequenz (Laufen)", "Cadence de course moyenne",
                "Cadencia de carrera media", "Cadência de corrida média",
                "Cadenza di corsa media", "Gjennomsnittlig frekvens for løping",
                "Gjennomsnittlig frekvens for loping",  # as one Norwegian header quotes it
                "Gem. slagen",  # Dutch 2018: the first "Gem. slagen" is the run cadence
                "Gennemsnit kadence løb",  # Danish (HLasse/GarminRunStats' export)
                "Avg Cadence"),  # English before 2018 (kennethajensen/Running's export)
    "stride": ("Avg Stride Length", "Ø Schrittlänge", "Longueur moyenne des foulées",
               "Longitud media de zancada", "Comprimento médio da passada",
               "Lunghezza media passo", "Gem. staplengte", "Gjennomsnittlig skrittlengde",
               "Gennemsnitlig skridtlængde"),
}
FAVORITE = ("Favorite", "Favorit", "Favori", "Favorito", "Preferita", "Favoriet", "Favoritt",
            "Ulubiony")
# Names Garmin leaves in English in every language: a header with one of them (and the
# layout's first columns) is Garmin's even in a language the table lacks.
BRANDS = ("Training Stress Score®", "Training Stress Score® (TSS®)", "Normalized Power® (NP®)")
# Where the columns are in every export seen, in every language (the fallback).
POSITIONS = {"type": 0, "date": 1, "title": 3, "distance": 4, "time": 6}

# Activity types: the words for running and walking in Garmin's languages (whole English
# type keys too, from older exports: "running", "treadmill_running", "hiking").
_RUN = re.compile(r"run|\blauf|lauf\b|\bcourse\b|\bcarrera\b|\bcorrida\b|\bcorsa\b|\bhardlo"
                  r"|\bløb|\bløp|\blöp|\bjuoks|\bbieg|\bběh|\bfutás", re.IGNORECASE)
_NOT_RUN = re.compile(r"ski|langlauf|eislauf|narciar|skøyte|skridsko|schaats|patin|pattin"
                      r"|hiihto|lyž|orient", re.IGNORECASE)
_MACHINE = re.compile(r"treadmill|laufband|tapis|\bcinta\b|esteira|loopband|tredemølle"
                      r"|løbebånd|löpband|juoksumatto|bieżni", re.IGNORECASE)
_TREADMILL = re.compile(_MACHINE.pattern + r"|indoor|virtu", re.IGNORECASE)
_TRAIL = re.compile(r"trail|trilha", re.IGNORECASE)
_WALK = re.compile(r"walk|hik|\bgehen\b|wander|\bmarche\b|randonn|\bcamina|senderismo"
                   r"|caminhada|camminata|escursion|wandel|\bgå|vandring|fottur|kävely"
                   r"|patikointi|spacer|chodzenie|chůze|turistika|\bséta|túráz",
                   re.IGNORECASE)

KILOMETRES, MILES = "distances read in kilometres", "distances read in miles"


def kind_of(activity_type: str) -> str | None:
    """Garmin's activity type, in any of its languages, as a runlog kind; None for other
    sports.

    Running types (Running, Laufen, Course à pied, Carrera, Corrida, Corsa, Hardlopen,
    Løping...) -> run, with Trail -> trail and Treadmill/Indoor/Virtual (Laufbandtraining,
    Entrenamiento en cinta, Corrida em esteira, Course sur tapis roulant...) -> treadmill;
    walking and hiking (Gehen, Wandern, Marche, Randonnée, Caminata, Senderismo,
    Caminhada, Camminata, Escursionismo, Wandelen...) -> walk. Skiing and skating, whose
    names hold a running word in some languages (Skilanglauf, Eislaufen), are not runs."""
    name = activity_type.strip()
    if _RUN.search(name) and not _NOT_RUN.search(name):
        if _TRAIL.search(name):
            return "trail"
        if _TREADMILL.search(name):
            return "treadmill"
        return "run"
    if _MACHINE.search(name) and not _NOT_RUN.search(name):
        return "treadmill"  # "Entrenamiento en cinta": the treadmill names the run
    if _WALK.search(name):
        return "walk"
    return None


def _is_garmin_layout(header: list[str]) -> bool:
    """Garmin's export in a language NAMES lacks: its untranslated brand names, and a
    favourite column third as in every export."""
    return len(header) >= 7 and any(brand in header for brand in BRANDS)


def is_header(header: list[str]) -> bool:
    """Whether a CSV header row (names trimmed) is a Garmin Connect Activities.csv's, in
    any language."""
    if len(header) >= 5 and header[0] in NAMES["type"] and header[1] in NAMES["date"]:
        return True
    if {"Activity Type", "Date", "Distance"} <= set(header):
        return True
    return _is_garmin_layout(header)


def _is_default_title(title: str, activity_type: str) -> bool:
    return title == activity_type or title.endswith(" " + activity_type)


def _start(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    from runlog.interchange.locales import parse_month_date

    try:
        return parse_month_date(text)
    except ValueError:
        raise ValueError(f"cannot read the Date {text!r}") from None


class _Columns:
    def __init__(self, header: list[str]):
        names = [name.strip() for name in header]
        found: dict[str, int] = {}
        for role, candidates in NAMES.items():
            found[role] = next((index for index, name in enumerate(names)
                                if name in candidates), -1)
        if _is_garmin_layout(names) or (len(names) > 2 and names[2] in FAVORITE):
            for role, index in POSITIONS.items():
                if found[role] < 0 and index < len(names):
                    found[role] = index
        self.type, self.date, self.title = found["type"], found["date"], found["title"]
        self.distance, self.time = found["distance"], found["time"]
        self.elapsed, self.moving = found["elapsed"], found["moving"]
        self.cadence, self.stride = found["cadence"], found["stride"]
        needed = (("Activity Type", self.type), ("Date", self.date), ("Distance", self.distance))
        missing = [name for name, index in needed if index < 0]
        self.problem = (
            f"not a Garmin Activities.csv: no {', '.join(missing)} column" if missing else None
        )


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if 0 <= index < len(cells) else ""


def _record(cells: list[str], line: int, columns: _Columns, metres_per_unit: float) -> Record:
    activity_type = _cell(cells, columns.type)
    kind = kind_of(activity_type)
    if kind is None:
        return Skipped(line, activity_type or "no activity type")
    date_text = _cell(cells, columns.date)
    try:
        start = _start(date_text)
        distance = parse_number(_cell(cells, columns.distance))
        duration_s = parse_clock(_cell(cells, columns.elapsed))
        if not duration_s:
            duration_s = parse_clock(_cell(cells, columns.time))
    except ValueError as error:
        return Bad(line, f"line {line}: {error}")
    distance_m = positive(None if distance is None else distance * metres_per_unit)
    duration_s = positive(duration_s)
    title = _cell(cells, columns.title)
    return activity(SOURCE, line, f"line {line}", f"{date_text}:{round(distance_m or 0)}:{title}",
                    start, kind, distance_m, duration_s,
                    None if not title or _is_default_title(title, activity_type) else title)


# Metres of stride x steps per distance unit: a km account's rows near 1000, a miles one's
# near 1609 (stride is in metres in both). A row counts for a unit within 15 % of it (real
# rows are within 3 %; the two are 61 % apart, and a cadence counted per foot, half the
# steps, lands between them and counts for neither).
_TOLERANCE = math.log(1.15)


def _evidence(cells: list[str], line: int, columns: _Columns) -> str | None:
    """What one row says of the distance unit: "km", "mi", "?" (a running or walking row
    with a distance that cannot tell) or None (no distance to read)."""
    if kind_of(_cell(cells, columns.type)) is None:
        return None
    try:
        distance = parse_number(_cell(cells, columns.distance))
    except ValueError:
        return None
    if not distance or distance <= 0:
        return None
    try:
        cadence = parse_number(_cell(cells, columns.cadence))
        stride = parse_number(_cell(cells, columns.stride))
        seconds = (parse_clock(_cell(cells, columns.moving))
                   or parse_clock(_cell(cells, columns.time))
                   or parse_clock(_cell(cells, columns.elapsed)))
    except ValueError:
        return "?"
    if not cadence or not stride or not seconds or cadence <= 0 or stride <= 0:
        return "?"
    ratio = cadence * stride * seconds / 60 / distance
    for unit, metres in METRES_PER_UNIT.items():
        if abs(math.log(ratio / metres)) < _TOLERANCE:
            return unit
    return "?"


def detect_units(path: Path) -> str | None:
    """"km" or "mi" as the file's rows tell it (four in five of the rows that can tell
    agree), "" when it has no running or walking distance to read at all, else None."""
    votes = {"km": 0, "mi": 0, "?": 0}
    for item in csv_records(path, _Columns, _evidence):
        if isinstance(item, str):
            votes[item] += 1
    told = votes["km"] + votes["mi"]
    if not told:
        return "" if not votes["?"] else None
    for unit in ("km", "mi"):
        if votes[unit] >= 0.8 * told:
            return unit
    return None


REFUSAL = ("its distances could be kilometres or miles, and it has no stride length and "
           "cadence to tell which: say which with --units mi or --units km before import")


def _contradiction(said: str, told: str) -> str:
    words = {"km": "kilometres", "mi": "miles"}
    return (f"--units {said} was given, but the file's cadence and stride length say its "
            f"distances are in {words[told]}: import it without --units")


def read_garmin(path: Path, units: str | None = None) -> Iterator[Record]:
    """Running and walking activities as Rows, other sports Skipped, and a Notice saying
    which distance unit was read. `units` is the account's distance unit (km or mi) when
    the runner said it; None: the file tells it, or is refused (a Bad for line 0)."""
    return _records(Path(path), units)


def _records(path: Path, units: str | None) -> Iterator[Record]:
    told = detect_units(path)
    if units is None:
        units = told
        if units is None:
            yield Bad(0, REFUSAL)
            return
    elif told and told != units:  # the runner's word against the file's physics
        yield Bad(0, _contradiction(units, told))
        return
    if units:
        yield Notice(0, MILES if units == "mi" else KILOMETRES)
    metres_per_unit = METRES_PER_UNIT[units or "km"]
    yield from csv_records(
        path, _Columns, lambda cells, line, columns: _record(cells, line, columns, metres_per_unit)
    )
