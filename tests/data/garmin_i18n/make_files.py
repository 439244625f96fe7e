"""Writes the Garmin Connect Activities.csv files of this folder (run it from here).

Each file has a header row as a real export in that language spells it (copied name for
name from the public exports and code named in SOURCES.md) and rows written for runlog:
no row of anyone's export is copied. Cadence and stride length agree with the distance and
time as a watch's do (distance = cadence x stride x minutes, stride in metres), in
kilometres or, for the miles files, in miles."""

import csv

KM, MI = 1000.0, 1609.344

HEADERS = {
    # PhilippPro/Running-App Activities.csv (a German account, 2022)
    "de": "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit,Ø Herzfrequenz,Maximale "
          "Herzfrequenz,Ø Schrittfrequenz (Laufen),Max. Schrittfrequenz (Laufen),Ø Pace,Beste "
          "Pace,Anstieg gesamt,Abstieg gesamt,Ø Schrittlänge,Durchschnittliches vertikales "
          "Verhältnis,Ø vertikale Bewegung,Training Stress Score®,Grit,Flow,Tauchzeit,Minimale "
          "Temperatur,Oberflächenpause,Dekompression,Beste Rundenzeit,Anzahl der Runden,"
          "Maximale Temperatur,Zeit in Bewegung,Verstrichene Zeit,Minimale Höhe,Maximale Höhe",
    # asierrodri/EDA-Running Activities.csv (a Spanish account, 2025)
    "es": "Tipo de actividad,Fecha,Favorito,Título,Distancia,Calorías,Tiempo,Frecuencia "
          "cardiaca media,FC máxima,TE aeróbico,Cadencia de carrera media,Cadencia de carrera "
          "máxima,Ritmo medio,Ritmo óptimo,Ascenso total,Descenso total,Longitud media de "
          "zancada,GAP medio,Normalized Power® (NP®),Training Stress Score®,Potencia media,"
          "Potencia máxima,Pasos,Repeticiones totales,Series totales,Descompresión,Mejor tiempo "
          "de vuelta,Número de vueltas,Tiempo en movimiento,Tiempo transcurrido,Altura mínima,"
          "Altura máxima",
    # RGazzaneo/projeto_garmin Activities.csv (a Brazilian Portuguese account, 2021)
    "pt": "Tipo de atividade,Data,Favorito,Título,Distância,Calorias,Tempo,FC Média,FC máxima,"
          "Training Effect Aeróbico,Velocidade média,Velocidade máxima,Subida total,Descida "
          "total,Comprimento médio da passada,Proporção de média vertical,Oscilação vertical "
          "média,Cadência bicicleta média,Cadência de bicicleta máxima,Normalized Power® (NP®),"
          "Equilíbrio E/D,Training Stress Score®,Máximo de potência média (20 minutos),Potência "
          "média,Energia máxima,Granularidade,Fluxo,Total de braçadas,Tempo de mergulho,Temp "
          "mínima,Intervalo de superfície,Descompressão,Tempo da melhor volta,Número de voltas,"
          "Temp máxima,Resposta média,Resposta mínima,Resposta máxima,Tempo em movimento,"
          "Duração,Elevação mínima,Elevação máxima,Ritmo médio,Melhor ritmo,Média de Swolf,"
          "Taxa média de braçadas,Cadência de corrida média,Cadência de corrida máxima,Tempo "
          "médio de contato com o solo,Equilíbrio de GCT médio",
    # the French default header in a public coaching project's scripts/reset.py (see SOURCES)
    "fr": "Type d'activité,Date,Favori,Titre,Distance,Calories,Durée,Fréquence cardiaque "
          "moyenne,Fréquence cardiaque maximale,TE aérobie,Cadence de course moyenne,Cadence "
          "de course maximale,Allure moyenne,Meilleure allure,Ascension totale,Descente totale,"
          "Longueur moyenne des foulées,Rapport vertical moyen,Oscillation verticale moyenne,"
          "Temps de contact moyen avec le sol,GAP moyenne,Normalized Power® (NP®),Training "
          "Stress Score® (TSS®),Puissance moyenne,Puissance max.,Pas,Consommation du Body "
          "Battery,Décompression,Temps du meilleur circuit,Nombre de tours,Stress moyen,Stress "
          "maximal,Temps de déplacement,Temps écoulé,Altitude minimale,Altitude maximale",
    # the Italian header a public Garmin script writes (see SOURCES)
    "it": "Tipo di attività,Data,Preferita,Titolo,Distanza,Calorie,Tempo,FC Media,FC max,TE "
          "attività aerobica,Cadenza di corsa media,Cadenza di corsa max,Passo medio,Passo "
          "migliore,Ascesa totale,Discesa totale,Lunghezza media passo,Rapporto verticale "
          "medio,Oscillazione verticale media,Tempo medio di contatto con il suolo,Training "
          "Stress Score®,Potenza media,Potenza max,Grit,Flow,Swolf medio,Frequenza media "
          "vogate,Ripetizioni totali,Tempo di immersione,Temperatura min,Intervallo di "
          "superficie,Decompressione,Tempo Lap migliore,Numero di Lap,Temperatura max,Tempo in "
          "movimento,Tempo trascorso,Quota minima,Quota massima",
    # GerjanM/DDP-wk4 Activities.csv (a Dutch account, 2018: types as English keys)
    "nl": "Activiteittype,Datum,Favoriet,Titel,Afstand,Calorieën,Tijd,Gem. HS,Max. HS,Aeroob "
          "TE,Gem. slagen,[],Gemiddeld tempo,Beste tempo,Stijging,Hoogteverlies,Gem. "
          "staplengte,Gemiddelde verticale ratio,Gem. verticale oscillatie,Gem. "
          "grondcontacttijd,Gem. GCT balans,Gem. slagen,[],Normalized Power® (NP®),L/R-balans,"
          "Training Stress Score®,Maximaal gemiddeld vermogen (20 min),Vermogen,Max. vermogen,"
          "Totaal slagen,Gemiddelde Swolf,Gem. slagsnelheid,Max diepte,Bodemtijd,Minimale "
          "watertemperatuur,Gastype,Oppervlakte-interval,Decompressie,Gewicht,Stroming,"
          "Oppervlakteomstandigheden,Watertype",
    # jeremyiwk/garmindata Activities.csv (an English account in miles, 2021)
    "en": "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Avg Run "
          "Cadence,Max Run Cadence,Avg Pace,Best Pace,Total Ascent,Total Descent,Avg Stride "
          "Length,Avg Vertical Ratio,Avg Vertical Oscillation,Training Stress Score®,Grit,Flow,"
          "Dive Time,Min Temp,Surface Interval,Decompression,Best Lap Time,Number of Laps,Max "
          "Temp,Moving Time,Elapsed Time,Min Elevation,Max Elevation",
}

# role -> column name, per language
ROLES = {
    "de": ("Aktivitätstyp", "Datum", "Titel", "Distanz", "Zeit", "Ø Schrittfrequenz (Laufen)",
           "Ø Schrittlänge", "Zeit in Bewegung", "Verstrichene Zeit", "Favorit"),
    "es": ("Tipo de actividad", "Fecha", "Título", "Distancia", "Tiempo",
           "Cadencia de carrera media", "Longitud media de zancada", "Tiempo en movimiento",
           "Tiempo transcurrido", "Favorito"),
    "pt": ("Tipo de atividade", "Data", "Título", "Distância", "Tempo",
           "Cadência de corrida média", "Comprimento médio da passada", "Tempo em movimento",
           "Duração", "Favorito"),
    "fr": ("Type d'activité", "Date", "Titre", "Distance", "Durée", "Cadence de course moyenne",
           "Longueur moyenne des foulées", "Temps de déplacement", "Temps écoulé", "Favori"),
    "it": ("Tipo di attività", "Data", "Titolo", "Distanza", "Tempo", "Cadenza di corsa media",
           "Lunghezza media passo", "Tempo in movimento", "Tempo trascorso", "Preferita"),
    "nl": ("Activiteittype", "Datum", "Titel", "Afstand", "Tijd", "Gem. slagen",
           "Gem. staplengte", None, None, "Favoriet"),
    "en": ("Activity Type", "Date", "Title", "Distance", "Time", "Avg Run Cadence",
           "Avg Stride Length", "Moving Time", "Elapsed Time", "Favorite"),
}

# (type, date, title, distance, elapsed s, moving s, cadence, decimal comma?)
ROWS = {
    "de": [("Laufen", "2022-04-20 06:08:34", "Dübendorf Laufen", 5.02, 1700, 1650, 166, True),
           ("Laufbandtraining", "2022-03-24 08:05:24", "Laufbandtraining", 2.0, 628, 628, 170,
            False),
           ("Radfahren", "2022-03-20 10:00:00", "Zürich Radfahren", 31.4, 4000, 3900, 0, True),
           ("Laufen", "2022-03-13 07:12:52", "Sonntagslauf am See", 12.25, 4103, 4010, 168,
            True),
           ("Gehen", "2022-03-12 15:00:00", "Dübendorf Gehen", 3.1, 2400, 2300, 110, False)],
    "es": [("Carrera", "2025-11-13 18:35:58", "Bilbao Carrera", 8.78, 3750, 3184, 165, False),
           ("Entrenamiento en cinta", "2025-10-09 20:11:04", "Entrenamiento en cinta", 4.88,
            1805, 1804, 157, True),
           ("Trail running", "2025-05-04 09:30:25", "Barrika Pirata Trail 2025", 12.81, 4759,
            4563, 149, False),
           ("Ciclismo", "2025-05-01 09:00:00", "Bilbao Ciclismo", 40.2, 5400, 5300, 0, False)],
    "pt": [("Corrida", "2021-10-03 06:30:00", "Campinas Corrida", 10.02, 3300, 3290, 172, False),
           ("Ciclismo em estradas", "2021-09-26 05:58:17", "Cozumel Ciclismo em estradas",
            89.97, 14800, 9024, 0, False),
           ("Corrida em esteira", "2021-09-24 19:00:00", "Corrida em esteira", 5.0, 1800, 1800,
            168, True)],
    "fr": [("Course à pied", "2026-08-10 10:52:21", "Sortie du matin", 3.95, 2120, 2108, 172,
            True),
           ("Musculation", "2026-06-20 10:04:15", "Musculation", 0.0, 3479, 3021, 0, False),
           ("Randonnée", "2026-05-16 13:18:54", "Randonnée en forêt", 9.70, 10178, 7031, 108,
            False),
           ("Course à pied sur tapis roulant", "2026-05-10 18:00:00",
            "Course à pied sur tapis roulant", 6.0, 2040, 2040, 170, True)],
    "it": [("Corsa", "2024-04-14 08:01:00", "Milano Corsa", 10.55, 3333, 3300, 174, True),
           ("Ciclismo", "2024-04-13 09:00:00", "Milano Ciclismo", 45.0, 6000, 5900, 0, True),
           ("Corsa su tapis roulant", "2024-04-11 19:30:00", "Corsa su tapis roulant", 6.4,
            2160, 2160, 169, False),
           ("Camminata", "2024-04-10 12:00:00", "Milano Camminata", 2.8, 2100, 2000, 112,
            False)],
    "nl": [("running", "2018-08-19 11:45:17", "Zaltbommel Hardlopen", 12.21, 3353, 3353, 177,
            False),
           ("open_water_swimming", "2018-08-21 20:06:36", "Maasdriel Zwemmen in open water",
            1276, 1931, 1931, 0, False),
           ("cycling", "2018-08-21 17:19:23", "'s-Hertogenbosch Fietsen", 16.72, 2280, 2280, 0,
            False),
           ("hiking", "2018-06-17 12:38:23", "Pieterpad LAW 9-2 13", 16.55, 11340, 11340, 117,
            False)],
    "en_miles": [("Running", "2021-07-13 09:07:49", "Eugene - C25k week 4", 2.28, 1643, 1574,
                  143, False),
                 ("Running", "2021-09-07 12:11:33", "Eugene - 5K", 3.11, 2149, 2148, 158, False),
                 ("Walking", "2021-09-08 17:00:00", "Eugene Walking", 1.5, 1800, 1750, 112,
                  False),
                 ("Cycling", "2021-09-09 09:00:00", "Eugene Cycling", 12.4, 3600, 3500, 0,
                  False),
                 ("Treadmill Running", "2021-09-10 06:00:00", "Treadmill Running", 3.0, 1860,
                  1860, 164, False)],
}


def clock(seconds):
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def number(value, comma):
    text = f"{value:.2f}"
    return text.replace(".", ",") if comma else text


def write(name, language, rows, unit, drop=()):
    header = HEADERS[language].split(",")
    header = [column for column in header if column not in drop]
    roles = dict(zip(("type", "date", "title", "distance", "time", "cadence", "stride",
                      "moving", "elapsed", "favorite"), ROLES[language]))
    with open(name, "w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream, lineterminator="\r\n")
        out.writerow(header)
        for kind, date, title, distance, elapsed, moving, cadence, comma in rows:
            cells = {column: "--" for column in header}
            stride = (distance * unit / (cadence * moving / 60)) if cadence else 0
            values = {"type": kind, "date": date, "favorite": "false", "title": title,
                      "distance": number(distance, comma) if distance < 1000
                      else f"{distance:,.0f}", "time": clock(moving),
                      "cadence": str(cadence) if cadence else "--",
                      "stride": f"{stride:.2f}" if cadence else "0.00",
                      "moving": clock(moving), "elapsed": clock(elapsed)}
            for role, column in roles.items():
                if column in cells:
                    cells[column] = values[role]
            out.writerow([cells[column] for column in header])


for language in ("de", "es", "pt", "fr", "it", "nl"):
    write(f"{language}_Activities.csv", language, ROWS[language], KM)
write("en_miles_Activities.csv", "en", ROWS["en_miles"], MI)
write("en_no_strides_Activities.csv", "en", ROWS["en_miles"], MI,
      drop=("Avg Run Cadence", "Max Run Cadence", "Avg Stride Length"))
