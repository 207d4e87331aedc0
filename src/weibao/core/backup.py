"""Backup and restore of a whole installation (PLT-07): the database and the uploaded files.

A backup is one tar archive::

    manifest.json                 what is inside, with a digest of every member and a
                                  fingerprint (row count and digest) of every table
    database/weibao.sqlite3       SQLite: an online copy made with SQLite's backup API
    database/weibao.pgdump        PostgreSQL: ``pg_dump --format=custom`` of one snapshot
    media/<path>                  every file under MEDIA_ROOT

The table fingerprints are taken from the same snapshot the dump is made of (the SQLite copy
itself; for PostgreSQL the exported snapshot pg_dump reads), so a restore can prove that it
brought back exactly what was saved: it recomputes them on the restored database and compares.

Restoring goes into an empty installation of the same database engine (a SQLite file that does
not exist or holds no data; a PostgreSQL database without weibao data). The secret key and the
encryption key are not in the archive — keep them apart from the backups; the manifest records
a fingerprint of the secret key so a restore can warn when it runs with another one.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _

from weibao.core.crypto import ALGORITHMS, document_digest_algorithm

__all__ = ["BackupError", "RestoreResult", "Target", "create_backup", "read_manifest",
           "restore_backup", "table_fingerprints"]

FORMAT = 1
_SQLITE_MEMBER = "database/weibao.sqlite3"
_PG_MEMBER = "database/weibao.pgdump"
_CHUNK = 1 << 20
# Tables whose content is a cache or a queue, not data: not compared after a restore.
_VOLATILE = frozenset({"django_session"})


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in the user's language."""


# ---------------------------------------------------------------- table fingerprints

def _text(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _hasher(algorithm: str) -> hashes.Hash:
    if algorithm not in ALGORITHMS:
        raise BackupError(_("Unknown digest algorithm %(name)s.") % {"name": algorithm})
    factory: Callable[[], hashes.HashAlgorithm] = ALGORITHMS[algorithm]
    return hashes.Hash(factory())


def _sqlite_tables(cursor: Any) -> list[tuple[str, list[str]]]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                   "AND name NOT LIKE 'sqlite_%' ORDER BY name")
    tables = [row[0] for row in cursor.fetchall()]
    found = []
    for table in tables:
        cursor.execute(f'PRAGMA table_info("{table}")')
        columns = cursor.fetchall()  # cid, name, type, notnull, default, pk
        keys = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]]
        found.append((table, keys or [c[1] for c in columns]))
    return found


def _postgres_tables(cursor: Any) -> list[tuple[str, list[str]]]:
    cursor.execute("""
        SELECT c.relname,
               COALESCE((SELECT array_agg(a.attname ORDER BY k.ord)
                           FROM pg_index i
                           CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(num, ord)
                           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num
                          WHERE i.indrelid = c.oid AND i.indisprimary),
                        (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
                          WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
         ORDER BY c.relname""")
    return [(name, list(keys)) for name, keys in cursor.fetchall()]


def table_fingerprints(cursor: Any, vendor: str,
                       algorithm: str | None = None) -> dict[str, dict[str, Any]]:
    """Row count and digest of every table the cursor's database holds, rows read in primary-key
    order. Two databases of the same engine with the same content give the same fingerprints."""
    name = algorithm or document_digest_algorithm()
    tables = _sqlite_tables(cursor) if vendor == "sqlite" else _postgres_tables(cursor)
    found: dict[str, dict[str, Any]] = {}
    for table, keys in tables:
        order = ", ".join(f'"{k}"' for k in keys)
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')  # noqa: S608 (catalog names)
        rows = 0
        hasher = _hasher(name)
        while batch := cursor.fetchmany(2000):
            for row in batch:
                hasher.update("\x1f".join(_text(v) for v in row).encode() + b"\x1e")
            rows += len(batch)
        found[table] = {"rows": rows, "digest": hasher.finalize().hex()}
    return found


# ---------------------------------------------------------------- targets

@dataclass(frozen=True)
class Target:
    """Where a backup is read from or restored to: a SQLite file or a PostgreSQL database."""

    vendor: str  # "sqlite" or "postgresql"
    name: str  # the SQLite file path, or the PostgreSQL database name
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def configured(cls, alias: str = "default") -> Target:
        conf = connections[alias].settings_dict
        vendor = connections[alias].vendor
        return cls(vendor=vendor, name=str(conf["NAME"]), user=str(conf.get("USER") or ""),
                   password=str(conf.get("PASSWORD") or ""), host=str(conf.get("HOST") or ""),
                   port=str(conf.get("PORT") or ""))

    def pg_args(self) -> list[str]:
        args = ["--dbname", self.name]
        for flag, value in (("--host", self.host), ("--port", self.port),
                            ("--username", self.user)):
            if value:
                args += [flag, value]
        return args

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def pg_connect(self) -> Any:
        import psycopg

        return psycopg.connect(dbname=self.name, user=self.user or None,
                               password=self.password or None, host=self.host or None,
                               port=self.port or None, autocommit=True)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(_("%(tool)s is not installed: install the PostgreSQL client tools "
                            "(Debian: apt-get install postgresql-client).") % {"tool": name})
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(_("%(tool)s failed: %(error)s")
                          % {"tool": Path(args[0]).name, "error": done.stderr.strip()[-2000:]})


# ---------------------------------------------------------------- backup

def _key_fingerprint() -> str:
    check = b"weibao-backup-key-check:" + settings.SECRET_KEY.encode()
    return hashlib.sha256(check).hexdigest()[:16]


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path


def _file_digest(path: Path, algorithm: str) -> str:
    hasher = _hasher(algorithm)
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            hasher.update(chunk)
    return hasher.finalize().hex()


def _dump_sqlite(destination: Path) -> dict[str, dict[str, Any]]:
    connection.ensure_connection()
    target = sqlite3.connect(destination)
    try:
        connection.connection.backup(target)
        return table_fingerprints(target.cursor(), "sqlite")
    finally:
        target.close()


def _dump_postgres(source: Target, destination: Path) -> dict[str, dict[str, Any]]:
    pg_dump = _tool("pg_dump")
    with source.pg_connect() as conn:
        # One snapshot for the dump and the fingerprints: what is counted is what is saved.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        snapshot = row[0] if row else ""
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges",
              f"--snapshot={snapshot}", "--file", str(destination), *source.pg_args()],
             source.pg_env())
        fingerprints = table_fingerprints(conn.cursor(), "postgresql")
        conn.execute("COMMIT")
    return fingerprints


def _migrations(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def create_backup(directory: Path | str, *, media_root: Path | str | None = None,
                  now: datetime.datetime | None = None) -> Path:
    """Write a backup archive of the configured database and the media files into
    ``directory``; returns its path. Safe while weibao runs: the database is read from one
    consistent snapshot."""
    algorithm = document_digest_algorithm()
    moment = now or datetime.datetime.now(datetime.UTC)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    source = Target.configured()
    archive = directory / f"weibao-backup-{moment:%Y%m%dT%H%M%SZ}.tar"
    with tempfile.TemporaryDirectory(prefix="weibao-backup-") as work:
        if source.vendor == "sqlite":
            member, dump = _SQLITE_MEMBER, Path(work) / "weibao.sqlite3"
            fingerprints = _dump_sqlite(dump)
        elif source.vendor == "postgresql":
            member, dump = _PG_MEMBER, Path(work) / "weibao.pgdump"
            fingerprints = _dump_postgres(source, dump)
        else:
            raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.")
                              % {"vendor": source.vendor})
        with connection.cursor() as cursor:
            migrations = _migrations(cursor)
        files = {member: {"size": dump.stat().st_size, "digest": _file_digest(dump, algorithm)}}
        media_files = list(_media_files(media))
        for path in media_files:
            name = str(PurePosixPath("media", *path.relative_to(media).parts))
            files[name] = {"size": path.stat().st_size, "digest": _file_digest(path, algorithm)}
        manifest = {
            "format": FORMAT, "created_at": moment.isoformat(), "engine": source.vendor,
            "digest_algorithm": algorithm, "key_fingerprint": _key_fingerprint(),
            "migrations": migrations, "tables": fingerprints, "files": files,
        }
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(moment.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=member)
            for path in media_files:
                tar.add(path, arcname=str(PurePosixPath("media", *path.relative_to(media).parts)))
        partial.replace(archive)  # a crash never leaves a half archive under the final name
    return archive


# ---------------------------------------------------------------- restore

@dataclass
class RestoreResult:
    """What a restore did and proved."""

    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.mismatched


def read_manifest(archive: Path | str) -> dict[str, Any]:
    """The archive's manifest; a clear error when the file is not a weibao backup."""
    try:
        with tarfile.open(archive, "r") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(_("%(file)s is not a weibao backup: %(error)s")
                          % {"file": archive, "error": error}) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Backup format %(found)s is not supported (expected %(expected)s).")
                          % {"found": manifest.get("format"), "expected": FORMAT})
    return manifest


def _extract_verified(archive: Path, manifest: dict[str, Any], into: Path) -> None:
    """Extract every member the manifest lists, refusing one whose digest differs or that the
    manifest does not list (a tampered or damaged archive)."""
    algorithm = manifest["digest_algorithm"]
    listed = manifest["files"]
    with tarfile.open(archive, "r") as tar:
        names = {m.name for m in tar.getmembers() if m.isfile()} - {"manifest.json"}
        for extra in sorted(names - set(listed)):
            raise BackupError(_("The archive holds %(file)s, which its manifest does not list.")
                              % {"file": extra})
        for missing in sorted(set(listed) - names):
            raise BackupError(_("The archive lacks %(file)s, which its manifest lists.")
                              % {"file": missing})
        tar.extractall(into, members=[tar.getmember(n) for n in sorted(names)], filter="data")
    for name, meta in listed.items():
        if _file_digest(into / name, algorithm) != meta["digest"]:
            raise BackupError(_("%(file)s in the archive does not match its digest: the backup "
                                "is damaged or was changed.") % {"file": name})


def _holds_data(target: Target) -> bool:
    probe = "SELECT EXISTS (SELECT 1 FROM core_user) OR EXISTS (SELECT 1 FROM contracts_contract)"
    if target.vendor == "sqlite":
        path = Path(target.name)
        if not path.exists() or path.stat().st_size == 0:
            return False
        db = sqlite3.connect(path)
        try:
            return bool(db.execute(probe).fetchone()[0])
        except sqlite3.OperationalError:  # not migrated: no weibao tables
            return False
        finally:
            db.close()
    with target.pg_connect() as conn:
        exists = conn.execute("SELECT to_regclass('core_user') IS NOT NULL").fetchone()
        return bool(exists and exists[0] and conn.execute(probe).fetchone()[0])


def _restore_sqlite(dump: Path, target: Target) -> dict[str, dict[str, Any]]:
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target.name)
    try:
        source.backup(destination)  # replaces the whole target database, page by page
        return table_fingerprints(destination.cursor(), "sqlite")
    finally:
        destination.close()
        source.close()


def _restore_postgres(dump: Path, target: Target) -> dict[str, dict[str, Any]]:
    pg_restore = _tool("pg_restore")
    with target.pg_connect() as conn:  # an empty but migrated installation: drop its schema
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    _run([pg_restore, "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", *target.pg_args(), str(dump)], target.pg_env())
    with target.pg_connect() as conn:
        return table_fingerprints(conn.cursor(), "postgresql")


def _compare(expected: dict[str, dict[str, Any]], found: dict[str, dict[str, Any]]) -> list[str]:
    names = (set(expected) | set(found)) - _VOLATILE
    return sorted(n for n in names if expected.get(n) != found.get(n))


def restore_backup(archive: Path | str, *, target: Target | None = None,
                   media_root: Path | str | None = None, force: bool = False,
                   progress: Callable[[str], object] | None = None) -> RestoreResult:
    """Restore ``archive`` into an empty installation (``force`` replaces one that holds data)
    and prove it: every table's fingerprint is recomputed and compared with the manifest."""
    say = progress or (lambda _message: None)
    archive = Path(archive)
    manifest = read_manifest(archive)
    target = target or Target.configured()
    if manifest["engine"] != target.vendor:
        raise BackupError(_("This backup is of a %(saved)s database; the installation uses "
                            "%(target)s. Restore it into the same database engine.")
                          % {"saved": manifest["engine"], "target": target.vendor})
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    if not force and _holds_data(target):
        raise BackupError(_("The target database already holds data; restore into an empty "
                            "installation, or pass --force to replace it."))
    if not force and any(True for _path in _media_files(media)):
        raise BackupError(_("The media folder %(folder)s is not empty; restore into an empty "
                            "installation, or pass --force to replace it.") % {"folder": media})
    result = RestoreResult()
    with tempfile.TemporaryDirectory(prefix="weibao-restore-") as work:
        say(_("Checking the archive's digests…"))
        _extract_verified(archive, manifest, Path(work))
        connections.close_all()
        say(_("Restoring the database…"))
        if target.vendor == "sqlite":
            found = _restore_sqlite(Path(work) / _SQLITE_MEMBER, target)
        else:
            found = _restore_postgres(Path(work) / _PG_MEMBER, target)
        say(_("Restoring the files…"))
        if force and media.exists():
            shutil.rmtree(media)
        restored = Path(work) / "media"
        if restored.is_dir():
            shutil.copytree(restored, media, dirs_exist_ok=True)
            result.files = sum(1 for _path in _media_files(media))
    result.mismatched = _compare(manifest["tables"], found)
    result.tables = len(found)
    result.rows = sum(int(meta["rows"]) for meta in found.values())
    if manifest.get("key_fingerprint") != _key_fingerprint():
        result.warnings.append(_(
            "This installation's secret key differs from the one the backup was made with: "
            "signed links and encrypted secrets of the backup cannot be read until the original "
            "key is configured."))
    return result


def files_of(manifest: dict[str, Any]) -> Iterable[str]:
    """The archive members a manifest lists (for ``weibao restore --list``)."""
    return sorted(manifest["files"])
