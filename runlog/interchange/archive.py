"""Compressed files and archives in, plain files out: a `.gz` of any format, a zip of
activity files, and Strava's bulk export (`export_12345.zip`), unpacked into a private
temporary folder that goes on every way out.

What is inside an archive is told by its bytes, never trusted: a member's name only decides
whether it is read and what the runner is shown (escaped); every file is written under a
name of runlog's own (no `..`, absolute path or link can place it elsewhere), owner-only.
What it unpacks to is bounded (a compression bomb is refused, not unpacked to fill the
disk), and so is the list of files an archive may hold. Python's gzip and zipfile only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from runlog.errors import InputError, RunlogError

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with files; an empty zip
# Everything an archive unpacks to, together: as much as `runlog import -` takes from a
# pipe (cli/interchange.py's MAX_PIPED_BYTES).
MAX_UNPACKED_BYTES = 4 << 30
# A stream past BOMB_FROM_BYTES that has unpacked to more than BOMB_RATIO times its packed
# size is a bomb: deflate reaches 1032 only on runs of one byte, while the real samples in
# tests/data/samples compress 1.6 (FIT) to 14 (GPX) times. Said early, not after 4 GiB.
BOMB_RATIO = 200
BOMB_FROM_BYTES = 16 << 20
# How many files an archive may list, and how long its list may be (zipfile reads the
# whole list into memory before anything else; an entry is 46 bytes and its name, so
# 30,000 files, a big Strava export with its photos, take some 3 MB).
MAX_MEMBERS = 200_000
MAX_LISTING_BYTES = 32 << 20
BLOCK = 1 << 20
# What runlog reads in a zip that is not a Strava export: its import formats, and their .gz.
READ_SUFFIXES = (".gpx", ".tcx", ".fit", ".csv", ".json", ".ndjson")
ACTIVITY_SUFFIXES = (".gpx", ".tcx", ".fit")
# Archives inside an archive are not opened, but named in a note (Garmin's full export keeps
# its FIT files in zips inside the zip).
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".7z", ".rar")
STRAVA_LIST = "activities.csv"
STRAVA_FOLDER = "activities/"
SHOWN_NAME_CHARS = 200
TRUNCATED = "the file ends early (truncated)"


@dataclass
class Opened:
    """The files to read for one name the runner typed, in order.

    `files`: (display name, path to read). `ignored`: files in an archive that are not read
    (photos, profile, routes, archives inside it, links). `notes`: what the runner should
    know about how the archive was read, one line each. `refused`: (display name, message)
    for each file of the archive that would be read but cannot be (encrypted, damaged, a
    compression method Python lacks): shown as an error, like a rejected file."""

    files: list[tuple[str, str]]
    ignored: int = 0
    notes: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


class _Bomb(Exception):
    """A stream unpacks to more than the bounds allow. `whole`: the archive as a whole
    (the message reads after "refused: it"), else the one stream (after its name)."""

    def __init__(self, message: str, whole: bool = False):
        super().__init__(message)
        self.whole = whole


@contextmanager
def opened(name: str, path: str) -> Iterator[Opened]:
    """The files `path` holds: itself when it is no archive (or can't be opened: its reader
    says why), the unpacked content of a gzip file, the members of a zip worth reading
    (Strava's bulk export: its `activities.csv` first, then its activity files). Raises
    InputError (exit 2) for an archive that can't be read at all or is a bomb, RunlogError
    (exit 1) when the temporary folder can't be written. Whatever was unpacked is removed
    when the block ends, however it ends: an error or Ctrl-C (the CLI turns SIGTERM and
    SIGHUP into Ctrl-C, so they too)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(4)
    except OSError:
        head = b""
    if not (head.startswith(GZIP_MAGIC) or head.startswith(ZIP_MAGICS)):
        yield Opened([(name, path)])
        return
    import shutil
    import tempfile

    try:
        folder = tempfile.mkdtemp(prefix="runlog-unpack-")  # 0700
    except OSError as error:
        raise _cannot_unpack(error) from None
    try:
        unpacker = _Unpacker(folder)
        if head.startswith(GZIP_MAGIC):
            found = _open_gzip(name, path, unpacker)
        else:
            found = _open_zip(name, path, unpacker)
        yield found
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _open_gzip(name: str, path: str, unpacker: _Unpacker) -> Opened:
    try:
        with open(path, "rb") as stream:
            packed = os.fstat(stream.fileno()).st_size
            target = unpacker.unpack(stream, packed, gzipped=True)
    except _Bomb as bomb:
        raise InputError(f"refused: it {bomb}") from None
    except _Damaged as damaged:
        raise InputError(str(damaged), "download or copy it again") from None
    inner = _archive_kind(target)
    if inner:
        raise InputError(f"a {inner} inside a gzip file", "gunzip it, then import "
                         + ("the zip" if inner == "zip archive" else "the files it holds"))
    return Opened([(name, target)])


def _open_zip(name: str, path: str, unpacker: _Unpacker) -> Opened:
    import zipfile

    try:
        stream = open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read it: {error.strerror or error}") from None
    with stream:
        try:
            listing_bytes = _listing_bytes(stream)
            if listing_bytes is not None and listing_bytes > MAX_LISTING_BYTES:
                raise InputError(f"refused: the zip archive lists more files than runlog "
                                 f"reads ({MAX_MEMBERS:,} at most)")
            stream.seek(0)
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError,
                UnicodeDecodeError):
            raise InputError(f"{TRUNCATED}, or it is damaged: the zip archive has no list of "
                             "its files", "download the archive again") from None
        except OSError as error:
            raise InputError(f"cannot read it: {error.strerror or error}") from None
        with archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputError(f"refused: the zip archive lists {len(members):,} files; "
                                 f"runlog reads {MAX_MEMBERS:,} at most")
            if _overlapping(members):
                raise InputError("refused: files in the zip archive overlap one another, as "
                                 "a zip bomb's do")
            wanted, ignored, links, nested = _choose(members)
            found = Opened([], ignored)
            seen: dict[str, int] = {}  # a zip may hold one name twice: each is shown apart
            listed: set[str] = set()  # activity files a Strava list names, by their path
            rows_of_list = 0
            for info in wanted:
                path_in = _normalised(info.filename)
                if listed and path_in.rpartition(STRAVA_FOLDER)[2] in listed \
                        and STRAVA_FOLDER in path_in:
                    rows_of_list += 1  # its row in activities.csv is this activity
                    continue
                shown = f"{name}:{_shown(info.filename)}"
                seen[shown] = seen.get(shown, 0) + 1
                if seen[shown] > 1:
                    shown += f" ({seen[shown]})"
                why = _unreadable(info)
                if why:
                    found.refused.append((shown, why))
                    continue
                try:
                    with archive.open(info) as member:
                        target = unpacker.unpack(member, info.compress_size)
                except _Bomb as bomb:
                    said = "it" if bomb.whole else _shown(info.filename)
                    raise InputError(f"refused: {said} {bomb}") from None
                except _Damaged as damaged:
                    found.refused.append((shown, str(damaged)))
                    continue
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError,
                        EOFError):  # opening it: a bad local header, an unknown method
                    found.refused.append((shown, "it is damaged in the archive"))
                    continue
                if _archive_kind(target):
                    nested += 1
                    found.ignored += 1
                    os.unlink(target)
                    continue
                found.files.append((shown, target))
                if path_in.rpartition("/")[2] == STRAVA_LIST:
                    listed |= _listed_files(target)
    if rows_of_list:
        found.notes.append(
            f"{rows_of_list} activity file{_s(rows_of_list)} under activities/ "
            f"{'are rows' if rows_of_list > 1 else 'is a row'} of activities.csv, read from "
            "the list, whatever sport the list gives it")
    if nested:
        found.notes.append(f"{nested} archive{_s(nested)} inside the archive "
                           f"{'were' if nested > 1 else 'was'} not opened: unzip "
                           f"{'them' if nested > 1 else 'it'} and import "
                           f"{'their' if nested > 1 else 'its'} files")
    if links:
        found.notes.append(f"{links} link{_s(links)} in the archive "
                           f"{'were' if links > 1 else 'was'} not followed")
    if not found.files and not found.refused:
        raise InputError("the zip archive holds no activity or journal file "
                         f"({_counted(found.ignored, 'other file')})",
                         "runlog reads GPX, TCX, FIT and CSV/JSON exports in it, and their .gz")
    return found


# A Strava list's Filename cell: activities/123.fit.gz
_ACTIVITY_FILE = re.compile(r"activities/([^/\\]+\.(?:gpx|tcx|fit)(?:\.gz)?)", re.IGNORECASE)


def _listed_files(path: str) -> set[str]:
    """The activity files a Strava activities.csv names (`activities/123.fit.gz` in its
    Filename column, whatever the language), as names inside activities/. Their rows are
    those activities, also when the runner changed the sport on Strava (a ride recorded as
    a run): the files are not read again. Nothing when the list can't be read."""
    import csv

    names: set[str] = set()
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as stream:
            for cells in csv.reader(stream):
                for cell in cells:
                    match = _ACTIVITY_FILE.fullmatch(cell.strip())
                    if match:
                        names.add(match[1])
    except (OSError, csv.Error):
        return set()
    return names


def _overlapping(members) -> bool:
    """Whether two members' bytes overlap in the archive: the zip bomb that lists the same
    compressed bytes many times over, each time under a size that looks honest (Python
    3.12's zipfile refuses it; 3.11's does not)."""
    spans = sorted((info.header_offset, info.compress_size) for info in members
                   if info.compress_size)
    return any(start + size > next_start
               for (start, size), (next_start, _) in zip(spans, spans[1:]))


def _choose(members) -> tuple[list, int, int, int]:
    """The members to read, in order; how many other files there are; how many of those
    are links, and how many archives (by their names). A Strava export (a member named activities.csv) gives its activities.csv
    first, then the activity files of its activities/ folder; any other zip, its files in
    runlog's import formats. Folders, links and hidden files (macOS's __MACOSX/ copies,
    .DS_Store) are never read."""
    import stat

    links = 0
    files = []
    for info in members:
        if info.is_dir():
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            links += 1
            continue
        files.append((_normalised(info.filename), info))
    lists = [(path, info) for path, info in files
             if path.rpartition("/")[2] == STRAVA_LIST and not _hidden(path)]
    if lists:
        roots = [path[:-len(STRAVA_LIST)] for path, _ in lists]
        activities = [info for path, info in files if not _hidden(path) and any(
            path.startswith(root + STRAVA_FOLDER) for root in roots)
            and _suffix(path) in ACTIVITY_SUFFIXES]
        wanted = [info for _, info in lists] + activities
    else:
        wanted = [info for path, info in files
                  if not _hidden(path) and _suffix(path) in READ_SUFFIXES]
    chosen = {id(info) for info in wanted}
    archives = sum(1 for path, info in files
                   if id(info) not in chosen and _suffix(path) in ARCHIVE_SUFFIXES)
    return wanted, links + len(files) - len(wanted), links, archives


def _normalised(member: str) -> str:
    """A member's name for choosing it: `/` between folders (some Windows tools write
    `\\`), no leading `/` or `./`."""
    path = member.replace("\\", "/").lstrip("/")
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    return path


def _hidden(path: str) -> bool:
    return any((part.startswith(".") and part not in (".", "..")) or part == "__MACOSX"
               for part in path.split("/"))


def _suffix(path: str) -> str:
    """`.gpx` for `a/1.gpx` and `a/1.GPX.gz`; '' for a name without one."""
    base = path.rpartition("/")[2].lower()
    if base.endswith(".gz"):
        base = base[:-3]
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def _unreadable(info) -> str | None:
    """Why a member runlog would read can't be, before opening it; None when it can be."""
    import zipfile

    if info.flag_bits & 0x1:
        return "it is encrypted (password-protected); runlog can't read it"
    known = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
    if info.compress_type not in known:
        method = {9: "Deflate64", 93: "Zstandard", 98: "PPMd"}.get(
            info.compress_type, f"method {info.compress_type}")
        return (f"it is compressed with {method}, which runlog can't unpack; unzip the "
                "archive with another tool and import the file")
    return None


def _damaged_member(error: Exception) -> str:
    if "CRC" in str(error):
        return "it is damaged in the archive (its checksum does not match)"
    return "it is damaged in the archive"


def _shown(member: str) -> str:
    """A member's name as the runner is shown it: on one line, escapes spelled out, cut."""
    from runlog.safetext import one_line

    shown = one_line(member)
    return shown if len(shown) <= SHOWN_NAME_CHARS else shown[:SHOWN_NAME_CHARS - 1] + "…"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}{_s(count)}" if count else f"no {thing}"


class _Damaged(Exception):
    """A compressed stream that can't be read to its end; the message is the runner's."""


class _Unpacker:
    """Writes streams into `folder` under names of its own (1, 2, 3...), each created anew,
    owner-only, never through a link, keeping count of everything written."""

    def __init__(self, folder: str):
        self.folder = folder
        self.written = 0
        self.count = 0

    def unpack(self, source, packed_bytes: int, *, gzipped: bool | None = None) -> str:
        """The path of a new file holding `source`'s bytes, gunzipped when they start with
        gzip's magic bytes (`gzipped` None: look). Raises _Bomb, _Damaged, or RunlogError
        when the file can't be written."""
        import gzip
        import zipfile

        if gzipped is None:
            gzipped = source.peek(2)[:2] == GZIP_MAGIC
        reader = gzip.GzipFile(fileobj=source, mode="rb") if gzipped else source
        self.count += 1
        target = os.path.join(self.folder, str(self.count))
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                                 | os.O_CLOEXEC, 0o600)
        except OSError as error:
            raise _cannot_unpack(error) from None
        written_here = 0
        with open(descriptor, "wb") as out:
            while True:
                try:
                    block = reader.read(BLOCK)
                except EOFError:
                    raise _Damaged(TRUNCATED) from None
                except zipfile.BadZipFile as error:  # a zip member's checksum differs
                    raise _Damaged(_damaged_member(error)) from None
                except Exception:  # noqa: BLE001 - zlib.error, BadGzipFile, bz2's OSError,
                    # LZMAError...: whichever way the bytes are wrong, they are
                    raise _Damaged("it is damaged: its compressed data can't be read") from None
                if not block:
                    break
                written_here += len(block)
                self.written += len(block)
                if self.written > MAX_UNPACKED_BYTES:
                    raise _Bomb(f"unpacks to more than {_size(MAX_UNPACKED_BYTES)} in all",
                               whole=True)
                if (written_here > BOMB_FROM_BYTES
                        and written_here > BOMB_RATIO * max(packed_bytes, 1)):
                    raise _Bomb(f"unpacks to more than {BOMB_RATIO} times its size, as "
                                "a compression bomb does")
                try:
                    out.write(block)
                except OSError as error:
                    raise _cannot_unpack(error) from None
        return target


def _size(count: int) -> str:
    return f"{count / (1 << 30):g} GiB" if count >= 1 << 30 else f"{count / (1 << 20):g} MiB"


def _cannot_unpack(error: OSError) -> RunlogError:
    folder = os.environ.get("TMPDIR") or "the temporary folder"
    return RunlogError(f"can't unpack it into {folder}: {error.strerror or error}",
                       "free some space there, or set TMPDIR to a folder with room")


def _archive_kind(path: str) -> str | None:
    """'zip archive', 'tar archive' or 'gzip file' when the file at `path` is one (such a
    file inside an archive is not opened), else None."""
    with open(path, "rb") as stream:
        head = stream.read(265)
    if head.startswith(ZIP_MAGICS):
        return "zip archive"
    if head[257:262] == b"ustar":
        return "tar archive"
    if head.startswith(GZIP_MAGIC):
        return "gzip file"
    return None


def _listing_bytes(stream) -> int | None:
    """The size of a zip's list of files (its central directory), from its end record,
    before zipfile reads that list whole; None when there is no end record (zipfile then
    says the archive is damaged)."""
    import struct

    size = stream.seek(0, 2)
    tail_size = min(size, 22 + 65535)  # the end record and its longest comment
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    listing = struct.unpack("<I", tail[at + 12:at + 16])[0]
    if listing == 0xFFFFFFFF and at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":
        (zip64_at,) = struct.unpack("<Q", tail[at - 12:at - 4])
        stream.seek(zip64_at)
        record = stream.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            (listing,) = struct.unpack("<Q", record[40:48])
    return listing
