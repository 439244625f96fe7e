"""A watch archive: N distinct FIT activity files, imported with one `runlog import`.

Writes N realistic FIT files (a file_id, one record a second with time, position and
distance, a lap per kilometre, one session; runs, trail runs, treadmill runs, walks, hikes
and rides, on different days, of different lengths), then times the real command
`runlog import DIR/*.fit` into a fresh log and prints files/s and total seconds.

    python bench/fit_archive.py                 # 2,000 files
    python bench/fit_archive.py --files 200 --keep /tmp/fits

The files follow FIT's published protocol (14-byte header, definition and data messages,
CRC-16 over header and data), written by the small writer below: no library needed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z as a Unix time
_CRC_TABLE = (0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
              0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400)
# (sport, sub_sport, share of the archive, seconds a metre from, to): FIT profile enums
KINDS = ((1, 0, 55, 0.25, 0.42), (1, 3, 10, 0.30, 0.55), (1, 1, 10, 0.26, 0.40),
         (11, 0, 10, 0.6, 0.9), (17, 0, 5, 0.6, 1.1), (2, 0, 10, 0.10, 0.20))


def _crc16_nibbles(data: bytes, crc: int = 0) -> int:
    """FIT's CRC (the FIT protocol's reference code, nibble by nibble)."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


_CRC_BYTES = [_crc16_nibbles(bytes([n])) for n in range(256)]  # the same CRC, a byte a step


def crc16(data: bytes, crc: int = 0) -> int:
    table = _CRC_BYTES
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def _definition(local: int, number: int, fields: list[tuple[int, int, int]]) -> bytes:
    """A little-endian definition message: fields are (number, size, base type)."""
    return (struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
            + b"".join(struct.pack("<BBB", *field) for field in fields))


FILE_ID = [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (3, 4, 0x8C), (4, 4, 0x86)]
RECORD = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (5, 4, 0x86), (3, 1, 0x02),
          (2, 2, 0x84)]
LAP = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86), (254, 2, 0x84)]
_RECORD = struct.Struct("<BIiiIBH")  # a record message of local type 1, as RECORD defines
SESSION = [(253, 4, 0x86), (2, 4, 0x86), (5, 1, 0x00), (6, 1, 0x00), (7, 4, 0x86),
           (8, 4, 0x86), (9, 4, 0x86), (254, 2, 0x84), (16, 1, 0x02)]


SPORT_NAMES = {1: "running", 2: "cycling", 11: "walking", 17: "hiking"}


def fit_file(rng: random.Random, start_unix: int, serial: int) -> tuple[bytes, str]:
    """One activity: its bytes, a complete FIT file, and its sport's name."""
    sport, sub_sport, _, slow, fast = rng.choices(KINDS, weights=[k[2] for k in KINDS])[0]
    distance_m = rng.uniform(1500, 21000) if sport != 2 else rng.uniform(10000, 60000)
    pace = rng.uniform(slow, fast)  # seconds a metre
    seconds = max(60, int(distance_m * pace))
    start = start_unix - FIT_EPOCH_S
    body = bytearray()
    body += _definition(0, 0, FILE_ID)
    body += struct.pack("<BBHHII", 0, 4, 1, 3113, serial, start)
    body += _definition(1, 20, RECORD)
    lat, lon = rng.randint(500_000_000, 600_000_000), rng.randint(50_000_000, 90_000_000)
    speed = distance_m / seconds
    laps, lap_start, lap_distance = [], 0, 0.0
    pack, random_number, records = _RECORD.pack, rng.random, []
    speed_mm = round(speed * 1000)
    for second in range(seconds + 1):
        covered = speed * second
        lat += int(random_number() * 81) - 40
        lon += int(random_number() * 81) - 40
        records.append(pack(1, start + second, lat, lon, int(covered * 100),
                            120 + int(random_number() * 56), speed_mm))
        if covered - lap_distance >= 1000 or second == seconds:
            laps.append((lap_start, second, covered - lap_distance))
            lap_start, lap_distance = second, covered
    body += b"".join(records)
    body += _definition(2, 19, LAP)
    for index, (first, last, metres) in enumerate(laps):
        body += struct.pack("<BIIIIIH", 2, start + last, start + first, (last - first) * 1000,
                            (last - first) * 1000, round(metres * 100), index)
    body += _definition(3, 18, SESSION)
    body += struct.pack("<BIIBBIIIHB", 3, start + seconds, start, sport, sub_sport,
                        seconds * 1000, seconds * 1000, round(distance_m * 100), 0,
                        rng.randint(130, 165))
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    content = header + bytes(body)
    return content + struct.pack("<H", crc16(content)), SPORT_NAMES[sport]


def make_archive(folder: Path, count: int, seed: int = 2024) -> list[Path]:
    """`count` FIT files in `folder`, one every day or two going back from 2024-06-01,
    each named by its number and sport (`00007_running.fit`)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    moment = 1717225200  # 2024-06-01T07:00:00Z
    paths = []
    for n in range(count):
        moment -= rng.randint(20, 40) * 3600
        data, sport = fit_file(rng, moment + rng.randint(0, 3599), 3_900_000_000 + n)
        path = folder / f"{n:05d}_{sport}.fit"
        path.write_bytes(data)
        paths.append(path)
    return paths


def runlog_command() -> list[str]:
    script = Path(sys.executable).with_name("runlog")
    return [str(script)] if script.exists() else [sys.executable, "-m", "runlog"]


def run(count: int, keep: Path | None = None) -> float:
    """Make the archive, import it with one command; print and return files a second."""
    workdir = Path(tempfile.mkdtemp(prefix="runlog-fit-"))
    try:
        folder = keep or workdir / "fits"
        paths = sorted(folder.glob("*.fit")) if keep and keep.exists() else []
        if len(paths) != count:
            shutil.rmtree(folder, ignore_errors=True)
            made = time.perf_counter()
            paths = make_archive(folder, count)
            print(f"made {count} FIT files ({sum(p.stat().st_size for p in paths) >> 20} MiB) "
                  f"in {time.perf_counter() - made:.1f} s")
        env = {**os.environ, "HOME": str(workdir), "RUNLOG_DB": str(workdir / "log.db")}
        started = time.perf_counter()
        result = subprocess.run(runlog_command() + ["import", *map(str, paths)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        took = time.perf_counter() - started
        last = result.stderr.strip().splitlines()[-1:] or [""]
        print(f"fit archive: {count} files in {took:.1f} s = {count / took:.0f} files/s "
              f"(exit {result.returncode}; {last[0][:120]})")
        return count / took
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="make (or reuse) the files in this folder")
    args = parser.parse_args()
    run(args.files, args.keep)


if __name__ == "__main__":
    main()
