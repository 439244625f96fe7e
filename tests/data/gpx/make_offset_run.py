"""Writes offset_run.gpx next to this file: a synthetic run, made for runlog's tests.

It has the quirks of GPX files written by pytrainer (the kind of file the tests need):
GPX 1.1, a run named only in <metadata>, one track with no <name> and no <type>, times with
a +01:00 offset instead of Z (London summer time, so the local time in Europe/Amsterdam is
+02:00), heart rate in the cluetrust `gpxdata:hr` extension rather than Garmin's gpxtpx, a
one-minute stop (elapsed time counts it), and a `gpxdata:lap` summary after the track.

The route is a made-up loop in Hyde Park, London, run twice. Run `python make_offset_run.py`
to write the file again; it is deterministic (no randomness, no clock)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

START = datetime(2025, 6, 14, 7, 30, 0, tzinfo=timezone(timedelta(hours=1)))
LOOP = [(51.50580, -0.17400), (51.50960, -0.17200), (51.51020, -0.16400),
        (51.50860, -0.15600), (51.50470, -0.15800), (51.50400, -0.16700)]
SPEED_M_S = 3.05
STEPS_S = (7, 11, 9, 13, 8, 12, 10)  # uneven recording intervals, like a real watch
STOP_AFTER_POINT = 40  # the runner waits 60 s at a crossing after this point
EARTH_M = 6378137.0  # WGS-84 equatorial radius, the one gpxpy uses


def haversine_m(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_M * math.asin(math.sqrt(h))


def route():
    """The points along two laps, closed back at the start."""
    corners = LOOP * 2 + [LOOP[0]]
    legs = list(zip(corners, corners[1:]))
    at, along, elapsed, step = 0, 0.0, 0.0, 0
    points = [(corners[0], 0.0)]
    total = sum(haversine_m(a, b) for a, b in legs)
    done = 0.0
    while True:
        seconds = STEPS_S[step % len(STEPS_S)]
        step += 1
        elapsed += seconds
        done = min(total, done + SPEED_M_S * seconds)
        # the position `done` metres along the route, straight between corners
        left, at = done, 0
        while at < len(legs) - 1 and left > haversine_m(*legs[at]):
            left -= haversine_m(*legs[at])
            at += 1
        (lat1, lon1), (lat2, lon2) = legs[at]
        share = min(1.0, left / haversine_m(*legs[at]))
        points.append(((lat1 + (lat2 - lat1) * share, lon1 + (lon2 - lon1) * share), elapsed))
        if len(points) == STOP_AFTER_POINT:
            elapsed += 60
            points.append((points[-1][0], elapsed))
        if done >= total:
            return points


def heart_rate(index: int) -> int:
    return min(168, 92 + index) if index < 60 else 150 + (index * 7) % 13


def gpx() -> str:
    points = route()
    rows = []
    for index, ((lat, lon), seconds) in enumerate(points):
        moment = (START + timedelta(seconds=seconds)).isoformat()
        rows.append(f'<trkpt lat="{lat:.8f}" lon="{lon:.8f}">\n<ele>{20 + index % 7}.5</ele>\n'
                    f"<time>{moment}</time>\n<extensions>\n"
                    f"<gpxdata:hr>{heart_rate(index)}</gpxdata:hr>\n</extensions>\n</trkpt>\n")
    end = (START + timedelta(seconds=points[-1][1])).isoformat()
    length = sum(haversine_m(a, b) for (a, _), (b, _) in zip(points, points[1:]))
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<gpx xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0" '
        'creator="runlog tests (tests/data/gpx/make_offset_run.py)" version="1.1">\n'
        f"<metadata>\n<name>running{START.date()}</name>\n<time>{START.isoformat()}</time>\n"
        "</metadata>\n<trk>\n<trkseg>\n" + "".join(rows) + "</trkseg>\n</trk>\n"
        "<extensions>\n<gpxdata:lap>\n<gpxdata:index>1</gpxdata:index>\n"
        f"<gpxdata:startTime>{START.isoformat()}</gpxdata:startTime>\n"
        f"<gpxdata:elapsedTime>{points[-1][1]:.2f}</gpxdata:elapsedTime>\n"
        f"<gpxdata:distance>{length:.6f}</gpxdata:distance>\n"
        f"<gpxdata:endTime>{end}</gpxdata:endTime>\n"
        '<gpxdata:trigger kind="manual"/>\n<gpxdata:intensity>active</gpxdata:intensity>\n'
        "</gpxdata:lap>\n</extensions>\n</gpx>\n"
    )


if __name__ == "__main__":
    Path(__file__).with_name("offset_run.gpx").write_text(gpx(), encoding="utf-8", newline="\n")
