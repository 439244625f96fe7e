"""runlog.interchange.archive: what a .gz, a zip and Strava's bulk export unpack to, and
what a hostile archive does not get.

The Strava export is a real one (tests/data/archives/strava-export/, see its SOURCES.md),
zipped here in the layout Strava's own zip has (files at the top, `activities/`, `media/`,
`routes/`); expected bytes come from Python's gzip and zipfile directly, not from runlog.
"""

from __future__ import annotations

import gzip
import os
import stat
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest

from runlog.errors import InputError
from runlog.interchange import archive
from runlog.interchange.archive import opened

DATA = Path(__file__).resolve().parents[1] / "data"
EXPORT = DATA / "archives" / "strava-export"
SAMPLES = DATA / "samples"
GPX = SAMPLES / "gpx" / "2025-09-03 11_32_33.996 Cadzand-Bad.gpx"
GPX_OTHER = SAMPLES / "gpx" / "2025-08-30 20_29_18.085 BC Cadzand-Bad.gpx"
FIT = SAMPLES / "fit" / "garmin-fenix-5-run.fit"
FIT_IN_EXPORT = "activities/12866632127.fit.gz"  # the file its activities.csv's row names
# What a Strava export says of the activity files its activities.csv's rows name: the rows
# are those activities, and the files are not unpacked (whatever sport the row gives).
LISTED_NOTE = ("1 activity file under activities/ is a row of activities.csv, read from the "
               "list, whatever sport the list gives it")
# Stand-ins for the export's files not copied (SOURCES.md says why), with their real names.
STAND_INS = {
    "profile.csv": b"Athlete ID,Email Address,First Name,Last Name,Sex,Description,Weight,City,"
                   b"State,Country,Health Consent Status,Date of Health Consent approval/denial\n",
    "logins.csv": b"IP Address,Login Source,Login Date & Time\n",
    "categories_of_personal_information_we_collect.pdf": b"%PDF-1.4\n%%EOF\n",
    "information_we_disclose_for_a_business_purpose.pdf": b"%PDF-1.4\n%%EOF\n",
    "profile.jpg": b"\xff\xd8\xff\xe0 stand-in photo",
    "media/6b1f5c1e-1d2f.jpg": b"\xff\xd8\xff\xe0 stand-in photo",
}


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Every temporary file of these tests in a folder of the test's own, to see what is
    left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def export_members() -> dict[str, bytes]:
    """The real export's files by their names in Strava's zip, plus the stand-ins and a
    planned route (a real GPX track under routes/, which is no run of the runner's)."""
    members = {path.relative_to(EXPORT).as_posix(): path.read_bytes()
               for path in sorted(EXPORT.rglob("*")) if path.is_file()}
    members.update(STAND_INS)
    members["routes/1.gpx"] = GPX.read_bytes()
    return members


def make_zip(path: Path, members: dict[str, bytes], *, prefix: str = "",
             method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as out:
        for name, data in members.items():
            out.writestr(prefix + name, data)
    return path


def strava_zip(tmp_path: Path, extra: dict[str, bytes] | None = None, **options) -> Path:
    members = export_members()
    members.update(extra or {})
    return make_zip(tmp_path / "export_12345.zip", members, **options)


def read(path: str) -> bytes:
    return Path(path).read_bytes()


# -- Strava's bulk export ------------------------------------------------------------------

def test_strava_export_gives_its_csv_first_then_its_activity_files(tmp_path, private_tmp,
                                                                    monkeypatch):
    """An activity file no row of activities.csv names (one the list lacks), first in the
    zip, is read after the list; the file the list's row names is not unpacked at all."""
    unlisted = "activities/99.fit.gz"
    members = {unlisted: gzip.compress(FIT.read_bytes()), **export_members()}
    zipped = make_zip(tmp_path / "export_12345.zip", members)
    unpacked = []
    real = archive._Unpacker.unpack
    monkeypatch.setattr(archive._Unpacker, "unpack", lambda self, *a, **k: unpacked.append(
        real(self, *a, **k)) or unpacked[-1])
    with opened("export_12345.zip", str(zipped)) as found:
        names = [name for name, _ in found.files]
        assert names == ["export_12345.zip:activities.csv", f"export_12345.zip:{unlisted}"]
        assert read(found.files[0][1]) == (EXPORT / "activities.csv").read_bytes()
        # the .fit.gz is read as the FIT file it holds
        assert read(found.files[1][1]) == FIT.read_bytes()
        assert read(found.files[1][1])[8:12] == b".FIT"
        # the row's own FIT file: named in a note, never unpacked
        assert found.notes == [LISTED_NOTE]
        assert len(unpacked) == 2
        # every other file of the export is counted, none read: other CSVs, PDFs, photos,
        # and the planned route (a GPX, but not a run)
        assert found.ignored == len(members) - 3
        assert found.refused == []
        for _, path in found.files:
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
            assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
            assert Path(path).parent.parent == private_tmp
        kept = [path for _, path in found.files]
    assert not any(os.path.exists(path) for path in kept)
    assert list(private_tmp.iterdir()) == []


def test_activities_csv_comes_first_wherever_it_is_in_the_zip(tmp_path):
    members = {FIT_IN_EXPORT: (EXPORT / FIT_IN_EXPORT).read_bytes(),
               "activities/9.gpx": GPX.read_bytes(),
               "bikes.csv": (EXPORT / "bikes.csv").read_bytes(),
               "activities.csv": (EXPORT / "activities.csv").read_bytes()}
    zipped = make_zip(tmp_path / "export_1.zip", members)
    with opened("export_1.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == [
            "export_1.zip:activities.csv", "export_1.zip:activities/9.gpx"]
        assert found.notes == [LISTED_NOTE]
        assert found.ignored == 1


def test_a_rezipped_export_folder_with_macos_copies_reads_the_same(tmp_path):
    """Unzipped, looked at on a Mac and zipped again: everything sits in export_12345/, and
    __MACOSX/ holds `._` copies that are not the files."""
    members = {f"export_12345/{name}": data for name, data in export_members().items()}
    members["export_12345/activities/99.gpx"] = GPX.read_bytes()  # no row names it
    members["__MACOSX/export_12345/activities/._12866632127.fit.gz"] = b"\x00\x05\x16\x07junk"
    members["__MACOSX/export_12345/activities/._99.gpx"] = b"\x00\x05\x16\x07junk"
    members["export_12345/.DS_Store"] = b"\x00\x00\x00\x01Bud1"
    zipped = make_zip(tmp_path / "export_12345.zip", members)
    with opened("export_12345.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == [
            "export_12345.zip:export_12345/activities.csv",
            "export_12345.zip:export_12345/activities/99.gpx"]
        assert read(found.files[1][1]) == GPX.read_bytes()
        # the row's own file, in the folder, is known as the row's
        assert found.notes == [LISTED_NOTE]
        assert found.ignored == len(members) - 3


def test_gpx_tcx_and_fit_under_activities_and_their_gz_are_read(tmp_path):
    extra = {"activities/2001.gpx": GPX.read_bytes(),
             "activities/2002.gpx.gz": gzip.compress(GPX_OTHER.read_bytes()),
             "activities/2003.fit": FIT.read_bytes(),
             "activities/2004.GPX": GPX.read_bytes(),
             "activities/notes.txt": b"not an activity file"}
    zipped = strava_zip(tmp_path, extra)
    with opened("export_12345.zip", str(zipped)) as found:
        shown = [name.split(":", 1)[1] for name, _ in found.files]
        # none of them is named by a row of activities.csv: all are read (the row's file,
        # FIT_IN_EXPORT, is the row)
        assert shown == ["activities.csv", "activities/2001.gpx", "activities/2002.gpx.gz",
                         "activities/2003.fit", "activities/2004.GPX"]
        assert found.notes == [LISTED_NOTE]
        by_name = {name.split(":", 1)[1]: path for name, path in found.files}
        assert read(by_name["activities/2002.gpx.gz"]) == GPX_OTHER.read_bytes()
        assert read(by_name["activities/2003.fit"]) == FIT.read_bytes()


# -- other zips and .gz ----------------------------------------------------------------------

def test_a_zip_of_activity_files_gives_those_in_runlogs_formats(tmp_path):
    members = {"walks/a.gpx": GPX.read_bytes(), "photo.jpg": b"\xff\xd8\xff",
               "run.fit.gz": gzip.compress(FIT.read_bytes()), "readme.txt": b"hello",
               "mood.csv": (SAMPLES / "daylio" / "sample.csv").read_bytes()}
    zipped = make_zip(tmp_path / "runs.zip", members, method=zipfile.ZIP_STORED)
    with opened("runs.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == [
            "runs.zip:walks/a.gpx", "runs.zip:run.fit.gz", "runs.zip:mood.csv"]
        assert read(found.files[1][1]) == FIT.read_bytes()
        assert found.ignored == 2


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_every_method_python_unpacks_is_read(tmp_path, method):
    zipped = make_zip(tmp_path / "runs.zip", {"a.gpx": GPX.read_bytes()}, method=method)
    with opened("runs.zip", str(zipped)) as found:
        assert read(found.files[0][1]) == GPX.read_bytes()


def test_a_gz_file_is_read_as_what_it_holds_by_its_bytes_not_its_name(tmp_path, private_tmp):
    packed = tmp_path / "track.data"  # no .gz in the name: the magic bytes tell
    packed.write_bytes(gzip.compress(GPX.read_bytes()))
    with opened("track.data", str(packed)) as found:
        assert [name for name, _ in found.files] == ["track.data"]
        assert read(found.files[0][1]) == GPX.read_bytes()
        assert found.ignored == 0 and found.notes == [] and found.refused == []
    assert list(private_tmp.iterdir()) == []


def test_a_gz_of_several_members_is_read_whole(tmp_path):
    data = GPX.read_bytes()
    packed = tmp_path / "runs.gpx.gz"
    packed.write_bytes(gzip.compress(data[:1000]) + gzip.compress(data[1000:]))
    with opened("runs.gpx.gz", str(packed)) as found:
        assert read(found.files[0][1]) == data


def test_a_plain_file_is_itself_and_nothing_is_unpacked(tmp_path, private_tmp):
    with opened("runs.gpx", str(GPX)) as found:
        assert found.files == [("runs.gpx", str(GPX))]
        assert list(private_tmp.iterdir()) == []
    with opened("missing.csv", str(tmp_path / "missing.csv")) as found:  # its reader says
        assert found.files == [("missing.csv", str(tmp_path / "missing.csv"))]


# -- damaged files -----------------------------------------------------------------------------

def refusal(name: str, path: Path) -> InputError:
    with pytest.raises(InputError) as raised:
        with opened(name, str(path)):
            pytest.fail("a damaged archive was opened")
    error = raised.value
    assert "\n" not in error.message and "Error" not in error.message
    assert "EOFError" not in error.message and "BadZipFile" not in error.message
    return error


def test_a_truncated_gz_ends_early(tmp_path, private_tmp):
    packed = tmp_path / "runs.gpx.gz"
    whole = gzip.compress(GPX.read_bytes())
    for cut in (len(whole) // 2, len(whole) - 4, 12):
        packed.write_bytes(whole[:cut])
        assert refusal("runs.gpx.gz", packed).message == "the file ends early (truncated)"
    assert list(private_tmp.iterdir()) == []


def test_a_damaged_gz_is_refused(tmp_path, private_tmp):
    whole = bytearray(gzip.compress(GPX.read_bytes()))
    whole[-6] ^= 0xFF  # its CRC
    packed = tmp_path / "runs.gpx.gz"
    packed.write_bytes(bytes(whole))
    assert "damaged" in refusal("runs.gpx.gz", packed).message
    assert list(private_tmp.iterdir()) == []


def test_a_truncated_zip_ends_early(tmp_path, private_tmp):
    whole = strava_zip(tmp_path).read_bytes()
    cut = tmp_path / "export_12345.zip.part"
    cut.write_bytes(whole[:len(whole) // 2])  # a download that stopped half way
    error = refusal("export_12345.zip", cut)
    assert error.message.startswith("the file ends early (truncated)")
    assert "again" in error.hint
    assert list(private_tmp.iterdir()) == []


def patch_member(path: Path, member: str, **fields) -> None:
    """Rewrite fields of `member`'s local header and its central directory entry in place:
    flags (general purpose bit flag), method (compression), crc."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    local = info.header_offset
    central = next(at for at in _central_entries(data) if
                   data[at + 46:at + 46 + len(member.encode())] == member.encode())
    for name, value in fields.items():
        local_at, central_at, fmt = {"flags": (6, 8, "<H"), "method": (8, 10, "<H"),
                                     "crc": (14, 16, "<I")}[name]
        struct.pack_into(fmt, data, local + local_at, value)
        struct.pack_into(fmt, data, central + central_at, value)
    path.write_bytes(bytes(data))


def _central_entries(data: bytearray):
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        yield at
        at = data.find(b"PK\x01\x02", at + 4)


def test_an_encrypted_member_is_refused_and_the_others_read(tmp_path):
    zipped = strava_zip(tmp_path, {"activities/77.gpx": GPX.read_bytes()})
    with zipfile.ZipFile(zipped) as archive:
        flags = archive.getinfo("activities/77.gpx").flag_bits
    patch_member(zipped, "activities/77.gpx", flags=flags | 0x1)
    with opened("export_12345.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["export_12345.zip:activities.csv"]
        assert found.notes == [LISTED_NOTE]
        assert len(found.refused) == 1
        shown, why = found.refused[0]
        assert shown == "export_12345.zip:activities/77.gpx"
        assert "encrypted" in why


def test_a_member_compressed_with_deflate64_is_refused_by_name(tmp_path):
    zipped = make_zip(tmp_path / "runs.zip", {"a.gpx": GPX.read_bytes(),
                                              "b.gpx": GPX_OTHER.read_bytes()})
    patch_member(zipped, "b.gpx", method=9)  # what Windows' own zipper writes for big files
    with opened("runs.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["runs.zip:a.gpx"]
        assert found.refused[0][0] == "runs.zip:b.gpx"
        assert "Deflate64" in found.refused[0][1]


def test_a_member_whose_checksum_differs_is_refused(tmp_path):
    zipped = make_zip(tmp_path / "runs.zip", {"a.gpx": GPX.read_bytes(),
                                              "b.gpx": GPX_OTHER.read_bytes()})
    with zipfile.ZipFile(zipped) as archive:
        crc = archive.getinfo("a.gpx").CRC
    patch_member(zipped, "a.gpx", crc=crc ^ 1)
    with opened("runs.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["runs.zip:b.gpx"]
        assert found.refused == [("runs.zip:a.gpx",
                                  "it is damaged in the archive (its checksum does not match)")]


def test_a_truncated_gz_inside_a_zip_is_refused_alone(tmp_path):
    zipped = strava_zip(tmp_path, {"activities/5.gpx.gz": gzip.compress(GPX.read_bytes())[:500],
                                   "activities/6.gpx.gz": gzip.compress(GPX.read_bytes())})
    with opened("export_12345.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["export_12345.zip:activities.csv",
                                                     "export_12345.zip:activities/6.gpx.gz"]
        assert read(found.files[1][1]) == GPX.read_bytes()
        assert found.refused == [("export_12345.zip:activities/5.gpx.gz",
                                  "the file ends early (truncated)")]


def test_an_empty_zip_or_one_without_runs_files_is_refused(tmp_path):
    empty = make_zip(tmp_path / "empty.zip", {})
    assert "no activity or journal file" in refusal("empty.zip", empty).message
    photos = make_zip(tmp_path / "photos.zip", {"a.jpg": b"\xff\xd8", "b.jpg": b"\xff\xd8"})
    assert refusal("photos.zip", photos).message == (
        "the zip archive holds no activity or journal file (2 other files)")


# -- hostile archives ------------------------------------------------------------------------

def test_a_gzip_bomb_is_refused_before_it_fills_the_disk(tmp_path, private_tmp, monkeypatch):
    bomb = tmp_path / "runs.gpx.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (64 << 20), compresslevel=9))  # 64 MiB in ~64 KB
    written = []
    real_write = archive._Unpacker.unpack
    monkeypatch.setattr(archive._Unpacker, "unpack", lambda self, *a, **k: written.append(
        self) or real_write(self, *a, **k))
    error = refusal("runs.gpx.gz", bomb)
    assert error.message.startswith("refused: it unpacks to more than 200 times its size")
    assert written[0].written <= archive.BOMB_FROM_BYTES + archive.BLOCK
    assert list(private_tmp.iterdir()) == []


def test_a_zip_bomb_member_is_refused(tmp_path, private_tmp):
    zipped = strava_zip(tmp_path, {"activities/6.gpx": b"\0" * (40 << 20)})
    error = refusal("export_12345.zip", zipped)
    assert error.message.startswith("refused: activities/6.gpx unpacks to more than 200 times")
    assert list(private_tmp.iterdir()) == []


def test_a_gzip_bomb_inside_a_zip_is_refused(tmp_path):
    inner = gzip.compress(b"\0" * (40 << 20), compresslevel=9)
    zipped = strava_zip(tmp_path, {"activities/6.gpx.gz": inner})
    assert "unpacks to more than 200 times" in refusal("export_12345.zip", zipped).message


def test_all_members_together_are_bounded(tmp_path, monkeypatch, private_tmp):
    """Many members each of a plausible size add up: the bound is on the whole archive."""
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1 << 20)
    noise = os.urandom(400_000)  # random bytes: no ratio to notice
    members = {f"activities/{n}.gpx": noise for n in range(3)}
    zipped = strava_zip(tmp_path, members)
    error = refusal("export_12345.zip", zipped)
    assert error.message == "refused: it unpacks to more than 1 MiB in all"
    assert list(private_tmp.iterdir()) == []


def test_members_sharing_their_bytes_are_refused_before_any_is_unpacked(tmp_path, monkeypatch,
                                                                        private_tmp):
    """Fifield's "non-recursive zip bomb": one compressed kernel listed many times, each
    entry with an honest-looking size, unpacks to far more than any one ratio shows."""
    zipped = make_zip(tmp_path / "runs.zip", {"a.gpx": b"<gpx>" + b" " * (4 << 20)})
    data = bytearray(zipped.read_bytes())
    listed_at = data.rfind(b"PK\x01\x02")
    end_at = data.rfind(b"PK\x05\x06")
    entry = bytes(data[listed_at:end_at])
    copies = [entry.replace(b"a.gpx", f"{n}.gpx".encode()) for n in "bcdefghij"]
    end = bytearray(data[end_at:])
    struct.pack_into("<HHI", end, 8, 10, 10, len(entry) * 10)  # entries here, in all; size
    zipped.write_bytes(bytes(data[:end_at]) + b"".join(copies) + bytes(end))
    with zipfile.ZipFile(zipped) as check:  # Python itself lists ten files, all the same
        assert len(check.infolist()) == 10
    monkeypatch.setattr(archive._Unpacker, "unpack", lambda *a, **k: pytest.fail("unpacked"))
    assert refusal("runs.zip", zipped).message == (
        "refused: files in the zip archive overlap one another, as a zip bomb's do")


def test_member_names_never_place_a_file(tmp_path, private_tmp):
    """`..`, absolute paths and control characters in names decide nothing but whether the
    member is read; the runner sees the name escaped."""
    hostile = {"../../escaped.gpx": GPX.read_bytes(),
               "/tmp/absolute.gpx": GPX.read_bytes(),
               "a\x1b]52;c;bad\x07\u202e.gpx": GPX.read_bytes()}
    zipped = make_zip(tmp_path / "runs.zip", hostile)
    with opened("runs.zip", str(zipped)) as found:
        shown = [name for name, _ in found.files]
        assert shown == ["runs.zip:../../escaped.gpx", "runs.zip:/tmp/absolute.gpx",
                         "runs.zip:a\\x1b]52;c;bad\\x07\\u202e.gpx"]
        for _, path in found.files:
            assert Path(path).parent.parent == private_tmp
            assert Path(path).name.isdigit()
    assert not (tmp_path.parent / "escaped.gpx").exists()
    assert not Path("/tmp/absolute.gpx").exists()


def test_one_name_twice_in_a_zip_is_two_files_shown_apart(tmp_path):
    zipped = tmp_path / "runs.zip"
    with zipfile.ZipFile(zipped, "w") as out:
        out.writestr("a.gpx", GPX.read_bytes())
        with pytest.warns(UserWarning, match="Duplicate name"):
            out.writestr("a.gpx", GPX_OTHER.read_bytes())
    with opened("runs.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["runs.zip:a.gpx", "runs.zip:a.gpx (2)"]
        assert [read(path) for _, path in found.files] == [GPX.read_bytes(),
                                                           GPX_OTHER.read_bytes()]


def test_a_link_in_the_zip_is_not_followed(tmp_path):
    zipped = tmp_path / "runs.zip"
    with zipfile.ZipFile(zipped, "w") as out:
        link = zipfile.ZipInfo("activities/1.gpx")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(link, "/etc/passwd")
        out.writestr("activities.csv", (EXPORT / "activities.csv").read_bytes())
    with opened("runs.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["runs.zip:activities.csv"]
        assert found.ignored == 1
        assert found.notes == ["1 link in the archive was not followed"]


def test_a_zip_inside_the_zip_is_not_opened(tmp_path):
    inner = make_zip(tmp_path / "inner.zip", {"a.gpx": GPX.read_bytes()}).read_bytes()
    zipped = make_zip(tmp_path / "runs.zip", {"inner.zip": inner, "b.gpx": GPX.read_bytes(),
                                              "c.gpx": inner, "d.gpx.gz": gzip.compress(inner)})
    with opened("runs.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["runs.zip:b.gpx"]
        assert found.ignored == 3
        assert found.notes == ["3 archives inside the archive were not opened: unzip them "
                               "and import their files"]


def test_a_tar_or_zip_inside_a_gz_is_named(tmp_path):
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(GPX, arcname="a.gpx")
    packed = tmp_path / "runs.tar.gz"
    packed.write_bytes(gzip.compress(buffer.getvalue()))
    error = refusal("runs.tar.gz", packed)
    assert error.message == "a tar archive inside a gzip file"
    packed.write_bytes(gzip.compress(make_zip(tmp_path / "a.zip", {"a.gpx": b"x"}).read_bytes()))
    assert refusal("runs.zip.gz", packed).message == "a zip archive inside a gzip file"


def test_thousands_of_members_unpack_quickly(tmp_path, private_tmp):
    import time

    fit = FIT.read_bytes()
    members = {f"activities/{n}.fit.gz": gzip.compress(fit, compresslevel=1)
               for n in range(2000)}
    zipped = strava_zip(tmp_path, members, method=zipfile.ZIP_STORED)
    started = time.perf_counter()
    with opened("export_12345.zip", str(zipped)) as found:
        took = time.perf_counter() - started
        assert len(found.files) == 2001  # the list and the 2,000 it does not name
        assert found.notes == [LISTED_NOTE]
        assert read(found.files[-1][1]) == fit
    assert took < 10, took  # about a second on a busy 2-core machine
    assert list(private_tmp.iterdir()) == []


def test_a_zip_listing_more_members_than_runlog_reads_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 50)
    zipped = make_zip(tmp_path / "many.zip", {f"{n}.gpx": b"" for n in range(51)})
    assert refusal("many.zip", zipped).message == (
        "refused: the zip archive lists 51 files; runlog reads 50 at most")


def test_a_zip_whose_list_is_too_long_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_LISTING_BYTES", 1000)
    zipped = make_zip(tmp_path / "many.zip", {f"{n:040d}.gpx": b"" for n in range(20)})
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: pytest.fail("the list was read"))
    assert refusal("many.zip", zipped).message.startswith(
        "refused: the zip archive lists more files than runlog reads")


# -- cleanup -----------------------------------------------------------------------------------

def test_everything_goes_after_an_error_or_ctrl_c_in_the_block(tmp_path, private_tmp):
    zipped = strava_zip(tmp_path)
    for stop in (KeyboardInterrupt, RuntimeError, InputError("x")):
        with pytest.raises(type(stop) if isinstance(stop, Exception) else stop):
            with opened("export_12345.zip", str(zipped)) as found:
                assert found.files
                raise stop
        assert list(private_tmp.iterdir()) == []


def test_everything_goes_after_ctrl_c_while_unpacking(tmp_path, private_tmp, monkeypatch):
    zipped = strava_zip(tmp_path, {"activities/99.gpx": GPX.read_bytes()})  # no row names it
    real = archive._Unpacker.unpack
    calls = []

    def interrupted(self, *args, **kwargs):
        calls.append(real(self, *args, **kwargs))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return calls[-1]

    monkeypatch.setattr(archive._Unpacker, "unpack", interrupted)
    with pytest.raises(KeyboardInterrupt):
        with opened("export_12345.zip", str(zipped)):
            pytest.fail("opened after Ctrl-C")
    assert len(calls) == 2  # stopped after the list and the activity file were unpacked
    assert list(private_tmp.iterdir()) == []


def test_a_full_disk_while_unpacking_is_an_operational_error(tmp_path, private_tmp,
                                                             monkeypatch):
    import errno

    from runlog.errors import RunlogError

    packed = tmp_path / "runs.gpx.gz"
    packed.write_bytes(gzip.compress(GPX.read_bytes()))
    real_open = open

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, _block):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("builtins.open", lambda file, *a, **k: Full(real_open(file, *a, **k))
                        if isinstance(file, int) else real_open(file, *a, **k))
    with pytest.raises(RunlogError) as raised:
        with opened("runs.gpx.gz", str(packed)):
            pass
    assert raised.value.exit_code == 1
    assert "No space left on device" in raised.value.message
    assert list(private_tmp.iterdir()) == []


def test_zlib_streams_are_what_the_tests_think(tmp_path):
    """The bomb tests rely on deflate packing zeros about a thousand to one."""
    assert len(zlib.compress(b"\0" * (40 << 20), 9)) < (40 << 20) / archive.BOMB_RATIO


def test_a_file_a_row_names_is_that_row_and_never_unpacked(tmp_path, monkeypatch):
    """The row's file is not even opened: damaged, it is not refused; a copy of it under a
    name no row gives is read (the importer then knows it by its start time)."""
    truncated = gzip.compress(FIT.read_bytes())[:300]
    zipped = strava_zip(tmp_path, {FIT_IN_EXPORT: truncated,
                                   "activities/99.fit.gz": (EXPORT / FIT_IN_EXPORT).read_bytes()})
    with opened("export_12345.zip", str(zipped)) as found:
        assert [name for name, _ in found.files] == ["export_12345.zip:activities.csv",
                                                     "export_12345.zip:activities/99.fit.gz"]
        assert found.refused == []
        assert found.notes == [LISTED_NOTE]
        assert read(found.files[1][1]) == gzip.decompress(
            (EXPORT / FIT_IN_EXPORT).read_bytes())
