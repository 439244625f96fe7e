"""Build the localised Strava activities.csv files of this folder (run once; the files are
committed). See SOURCES.md for where every string comes from.

    .venv/bin/python tests/data/strava_i18n/build.py   # needs Babel (a dev tool)

The layout (99 columns, their order, the five repeated names) is the real English export's,
tests/data/samples/strava/Strava-Activity-Map/activities.csv (MIT). Dates are written as
CLDR's medium date-time of the language (Babel's format_datetime), which is what the real
German ("29.05.2022, 15:53:35") and Dutch ("9 mei 2026, 00:03:01") exports quoted in
SOURCES.md show.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from babel.dates import format_datetime

HERE = Path(__file__).resolve().parent
ENGLISH = HERE.parent / "samples" / "strava" / "Strava-Activity-Map" / "activities.csv"

# Column names per language for the columns runlog looks at, and the five repeated ones.
# de and nl are cited in SOURCES.md; pt, da, hu are our rendering (no public export found):
# runlog reads these layouts by place, never by these names.
NAMES = {
    "de": ["Aktivitäts-ID", "Aktivitätsdatum", "Name der Aktivität", "Aktivitätsart",
           "Aktivitätsbeschreibung", "Verstrichene Zeit", "Distanz", "Max. Herzfrequenz",
           "Relative Leistung", "Pendelstrecke", "Private Notiz zur Aktivität",
           "Aktivitätsausrüstung", "Dateiname", "Bewegungszeit"],
    "nl": ["Activiteits-ID", "Datum van activiteit", "Naam activiteit", "Activiteitstype",
           "Beschrijving van activiteit", "Verstreken tijd", "Afstand", "Max. hartslag",
           "Relatieve inspanning", "Woon-werkverkeer", "Privénotitie activiteit",
           "Uitrusting activiteit", "Bestandsnaam", "Beweegtijd"],
    "pt_BR": ["ID da atividade", "Data da atividade", "Nome da atividade",
              "Tipo de atividade", "Descrição da atividade", "Tempo decorrido", "Distância",
              "Frequência cardíaca máxima", "Esforço relativo", "Trajeto diário",
              "Nota particular da atividade", "Equipamento da atividade", "Nome do arquivo",
              "Tempo em movimento"],
    "da": ["Aktivitets-id", "Aktivitetsdato", "Aktivitetsnavn", "Aktivitetstype",
           "Aktivitetsbeskrivelse", "Forløbet tid", "Distance", "Maks. puls",
           "Relativ indsats", "Pendling", "Privat note om aktivitet", "Aktivitetsudstyr",
           "Filnavn", "Bevægelsestid"],
    "hu": ["Tevékenységazonosító", "Tevékenység dátuma", "Tevékenység neve",
           "Tevékenység típusa", "Tevékenység leírása", "Eltelt idő", "Távolság",
           "Max. pulzus", "Relatív erőfeszítés", "Ingázás", "Privát megjegyzés",
           "Tevékenység felszerelése", "Fájlnév", "Mozgásban töltött idő"],
}
# Activity types per language: run, trail run, walk, hike, ride, swim (SOURCES.md).
TYPES = {
    "de": ["Lauf", "Traillauf", "Spaziergang", "Wanderung", "Radfahrt", "Schwimmen"],
    "nl": ["Hardloopsessie", "Trailrun", "Wandeling", "Wandeling", "Fietsrit", "Zwemmen"],
    "pt_BR": ["Corrida", "Corrida em trilha", "Caminhada", "Trilha", "Pedalada", "Natação"],
    "da": ["Løb", "Trailløb", "Gåtur", "Vandretur", "Cykeltur", "Svømning"],
    "hu": ["Futás", "Terepfutás", "Séta", "Túrázás", "Kerékpározás", "Úszás"],
}
# (UTC start, type index, display distance, metres, elapsed s, moving s, name, description)
ROWS = [
    (datetime(2022, 5, 29, 15, 53, 35), 0, "3,32", "3322.949951171875", 1428, 1390, "A", ""),
    (datetime(2023, 1, 2, 7, 5, 9), 1, "12.41", "12410,5", 5400, 5100, "B", "Matsch"),
    (datetime(2023, 3, 4, 18, 30, 0), 2, "2,05", "2051.2", 1500, 1480, "C", ""),
    (datetime(2023, 8, 12, 9, 0, 1), 4, "40,1", "40100.0", 5000, 4800, "D", ""),
    (datetime(2023, 10, 26, 11, 59, 59), 3, "8.88", "8880,25", 10800, 9900, "E", ""),
    (datetime(2024, 2, 29, 23, 15, 0), 5, "1,5", "1500.0", 2400, 2300, "F", ""),
    # the watch left running: 2 days 8 hours for 6.2 km, moving 35 minutes
    (datetime(2024, 11, 3, 6, 45, 30), 0, "6,20", "6201.3", 201600, 2100, "G", ""),
]


def header(language: str, english: list[str]) -> list[str]:
    names = NAMES[language]
    out = list(english)
    for index in range(13):
        out[index] = names[index]
    out[15], out[16], out[17] = names[5], names[13], names[6]  # Elapsed, Moving, Distance
    out[english.index("Max Heart Rate", 8)] = names[7]
    out[english.index("Relative Effort", 9)] = names[8]
    out[english.index("Commute", 10)] = names[9]
    return out


def main() -> None:
    with open(ENGLISH, newline="", encoding="utf-8") as stream:
        english = next(csv.reader(stream))
    for language in NAMES:
        path = HERE / language.split("_")[0] / "activities.csv"
        path.parent.mkdir(exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header(language, english))
            for number, (start, kind, shown, metres, elapsed, moving, name, note) in enumerate(
                ROWS, 1
            ):
                cells = [""] * len(english)
                cells[0] = str(1000 + number)
                cells[1] = format_datetime(start, "medium", locale=language, tzinfo="UTC")
                cells[2], cells[3], cells[4] = name, TYPES[language][kind], note
                cells[5], cells[6] = str(elapsed), shown
                cells[9] = "false"
                cells[12] = f"activities/{1000 + number}.fit.gz"
                cells[15], cells[16], cells[17] = f"{elapsed}.0", f"{moving}.0", metres
                writer.writerow(cells)


if __name__ == "__main__":
    main()
