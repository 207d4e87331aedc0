"""Backup and restore (PLT-07): an archive of the database and the files, restored into an empty
installation of the same engine and proved equal, table by table; damaged archives and
non-empty targets refused. Runs on SQLite and on PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import io
import sqlite3
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from weibao.core.backup import (
    BackupError,
    Target,
    create_backup,
    read_manifest,
    restore_backup,
    table_fingerprints,
)
from weibao.testing.calendars import ensure_national_calendars
from weibao.testing.examples import example_setup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "sheets" / "2026").mkdir(parents=True)
    (root / "sheets" / "2026" / "签字单.pdf").write_bytes(b"%PDF-1.7 sheet")
    (root / "photo.jpg").write_bytes(bytes(range(256)) * 40)
    return root


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[Target]:
    """A fresh, empty database of the engine the suite runs on."""
    source = Target.configured()
    if source.vendor == "sqlite":
        yield Target(vendor="sqlite", name=str(tmp_path / "restored.sqlite3"))
        return
    name = f"{source.name}_restore_{uuid.uuid4().hex[:8]}"
    with source.pg_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = Target(vendor="postgresql", name=name, user=source.user, password=source.password,
                    host=source.host, port=source.port)
    yield target
    with source.pg_connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _with_data() -> None:
    ensure_national_calendars()  # a transactional test before may have flushed them
    example_setup("000-shanghai-sbk-outlets.yaml", "bk")


def test_backup_restore_equal(tmp_path: Path, media: Path, empty_target: Target) -> None:
    """PLT-07: backup → restore into an empty installation → every table and file equal."""
    _with_data()
    archive = create_backup(tmp_path / "backups", media_root=media)
    manifest = read_manifest(archive)
    assert manifest["engine"] == empty_target.vendor
    assert manifest["tables"]["contracts_contract"]["rows"] >= 1
    assert set(manifest["files"]) >= {"media/photo.jpg", "media/sheets/2026/签字单.pdf"}

    restored_media = tmp_path / "restored-media"
    result = restore_backup(archive, target=empty_target, media_root=restored_media)
    assert result.verified, result.mismatched
    assert result.files == 2
    assert result.rows == sum(t["rows"] for t in manifest["tables"].values())
    assert (restored_media / "photo.jpg").read_bytes() == (media / "photo.jpg").read_bytes()
    assert (restored_media / "sheets/2026/签字单.pdf").read_bytes() == b"%PDF-1.7 sheet"
    assert result.warnings == []


def test_fingerprints_see_a_changed_row(tmp_path: Path, media: Path,
                                        empty_target: Target) -> None:
    """The comparison can fail: one changed value in the restored database is one mismatch."""
    _with_data()
    archive = create_backup(tmp_path, media_root=media)
    restore_backup(archive, target=empty_target, media_root=tmp_path / "m2")
    change = "UPDATE contracts_contract SET title = title || 'x'"
    if empty_target.vendor == "sqlite":
        db = sqlite3.connect(empty_target.name)
        db.execute(change)
        db.commit()
        found = table_fingerprints(db.cursor(), "sqlite")
        db.close()
    else:
        with empty_target.pg_connect() as conn:
            conn.execute(change)
            found = table_fingerprints(conn.cursor(), "postgresql")
    expected = read_manifest(archive)["tables"]
    assert [t for t in expected if expected[t] != found[t]] == ["contracts_contract"]


def test_restore_refuses_a_target_with_data(tmp_path: Path, media: Path,
                                            empty_target: Target) -> None:
    """A restore never overwrites data by accident: a second restore into the now filled
    installation is refused; --force replaces it (and is verified again)."""
    _with_data()
    archive = create_backup(tmp_path, media_root=media)
    assert restore_backup(archive, target=empty_target, media_root=tmp_path / "m").verified
    with pytest.raises(BackupError, match="already holds data"):
        restore_backup(archive, target=empty_target, media_root=tmp_path / "other")
    again = restore_backup(archive, target=empty_target, media_root=tmp_path / "m", force=True)
    assert again.verified and again.files == 2


def test_restore_refuses_non_empty_media(tmp_path: Path, media: Path,
                                         empty_target: Target) -> None:
    archive = create_backup(tmp_path, media_root=media)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive, target=empty_target, media_root=media)


def test_restore_refuses_another_engine(tmp_path: Path, media: Path) -> None:
    archive = create_backup(tmp_path, media_root=media)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(BackupError, match="same database engine"):
        restore_backup(archive, target=Target(vendor=other, name=str(tmp_path / "x")),
                       media_root=tmp_path / "m")


def _rewrite(archive: Path, changed: Path, member: str, data: bytes) -> None:
    with tarfile.open(archive) as source, tarfile.open(changed, "w") as tar:
        for info in source.getmembers():
            payload = source.extractfile(info)
            content = data if info.name == member else (payload.read() if payload else b"")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def test_a_changed_file_in_the_archive_is_refused(tmp_path: Path, media: Path,
                                                  empty_target: Target) -> None:
    """A damaged or altered archive never restores: every member is checked against the
    manifest's digest before anything is written."""
    archive = create_backup(tmp_path, media_root=media)
    changed = tmp_path / "changed.tar"
    _rewrite(archive, changed, "media/photo.jpg", b"not the photo")
    with pytest.raises(BackupError, match="does not match its digest"):
        restore_backup(changed, target=empty_target, media_root=tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(b"hello")
    with pytest.raises(BackupError, match="not a weibao backup"):
        read_manifest(bogus)


def test_commands(tmp_path: Path, media: Path, settings: object) -> None:
    """`weibao backup` writes the archive and says what it holds; `weibao restore --check`
    reads it back; `weibao restore` onto this installation refuses (it is not empty)."""
    _with_data()
    settings.MEDIA_ROOT = media  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b"), stdout=out)
    archive = Path(out.getvalue().splitlines()[0])
    assert archive.is_file() and "2 files" in out.getvalue()
    check = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=check)
    assert "tables" in check.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="restore into an empty installation"):
        call_command("restore", str(archive), stdout=io.StringIO())
