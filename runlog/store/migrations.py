"""The schema, as append-only named migrations. Never edit one that has shipped: add a new one.

`PRAGMA user_version` holds how many migrations have run, so opening a current database
costs one pragma read and never imports sqlite-utils.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from ..vocab import BUILTIN_EMOTIONS

migrations = Migrations("runlog")


@migrations()
def m001_initial(db: Database) -> None:
    # Lists of allowed words are written as `x = 'a' OR x = 'b'`: SQLite builds a
    # temporary table for every `x IN (...)` it checks, which made each insert 2.7 µs slower.
    db.execute(
        """
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            date TEXT NOT NULL CHECK (length(date) = 10 OR length(date) = 25),
            day TEXT NOT NULL CHECK (day = substr(date, 1, 10)),
            start_ts REAL,
            kind TEXT NOT NULL DEFAULT 'run' CHECK (kind = 'run' OR kind = 'walk'
                OR kind = 'run-walk' OR kind = 'trail' OR kind = 'treadmill' OR kind = 'race'
                OR kind = 'rest' OR kind = 'checkin'),
            distance_m REAL CHECK (distance_m > 0 AND distance_m <= 1000000),
            duration_s REAL CHECK (duration_s > 0 AND duration_s <= 172800),
            mood_before INTEGER CHECK (mood_before BETWEEN 1 AND 5),
            mood_after INTEGER CHECK (mood_after BETWEEN 1 AND 5),
            cried TEXT CHECK (cried = 'during' OR cried = 'after' OR cried = 'both'),
            effort INTEGER CHECK (effort BETWEEN 1 AND 10),
            pain INTEGER CHECK (pain BETWEEN 0 AND 10),
            pain_where TEXT,
            intention TEXT,
            note TEXT,
            source TEXT,
            created_at TEXT NOT NULL,
            deleted_at TEXT,
            CHECK (kind = 'rest' OR kind = 'checkin' OR distance_m IS NOT NULL
                   OR duration_s IS NOT NULL)
        )
        """
    )
    db.execute("CREATE INDEX entries_day ON entries (day)")
    db.execute("CREATE INDEX entries_start_ts ON entries (start_ts)")
    db.execute(
        """
        CREATE TABLE emotions (
            name TEXT PRIMARY KEY,
            valence TEXT NOT NULL CHECK (valence IN ('positive', 'negative', 'mixed')),
            builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1))
        )
        """
    )
    db["emotions"].insert_all(
        {"name": name, "valence": valence, "builtin": 1}
        for name, valence in BUILTIN_EMOTIONS.items()
    )
    db.execute(
        """
        CREATE TABLE entry_emotions (
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            emotion TEXT NOT NULL REFERENCES emotions (name),
            position INTEGER NOT NULL,
            PRIMARY KEY (entry_id, emotion)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX entry_emotions_emotion ON entry_emotions (emotion)")
    db.execute(
        """
        CREATE TABLE tags (
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            tag TEXT NOT NULL CHECK (length(tag) > 0),
            position INTEGER NOT NULL,
            PRIMARY KEY (entry_id, tag)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX tags_tag ON tags (tag)")
    # Pre-run check-ins from `runlog start`; `used_by` links the run that took one up.
    db.execute(
        """
        CREATE TABLE checkins (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            created_ts REAL NOT NULL,
            mood_before INTEGER CHECK (mood_before BETWEEN 1 AND 5),
            intention TEXT,
            emotions TEXT,
            used_by INTEGER REFERENCES entries (id) ON DELETE SET NULL,
            cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
        )
        """
    )


@migrations()
def m002_more_feelings(db: Database) -> None:
    # The feelings added to the built-in vocabulary after the first schema reach a log made
    # before them. A name the runner had already added stays theirs (its valence, builtin 0).
    from ..vocab import ADDED_BUILTINS

    db.conn.executemany(
        "INSERT OR IGNORE INTO emotions (name, valence, builtin) VALUES (?, ?, 1)",
        list(ADDED_BUILTINS.items()),
    )


def apply(db: Database) -> None:
    """Run what is pending and record the new version, and runlog's application id (how
    a log is told from another program's SQLite file). The caller holds the write lock."""
    from .db import APPLICATION_ID

    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {len(migrations._migrations)}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
