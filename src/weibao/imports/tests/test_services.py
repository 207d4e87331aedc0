"""AST-10: upload → validate (every row error, nothing written) → commit once, in one
transaction, all or nothing or valid rows only; long files in the background."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from weibao.conftest import World
from weibao.core.errors import ConflictError, ServiceError
from weibao.imports import services
from weibao.imports.choices import ImportMode, ImportStatus
from weibao.imports.models import ImportJob
from weibao.imports.tests.conftest import (
    BAD,
    GOOD,
    KEY,
    SiteTypeImporter,
    csv_bytes,
    upload,
    xlsx_bytes,
)
from weibao.sites.models import SiteType

pytestmark = pytest.mark.django_db


def codes(contract: Any) -> set[str]:
    return set(SiteType.objects.filter(contract=contract).values_list("code", flat=True))


def test_ast10_upload_validates_and_lists_every_row_error(world: World, importer: Any) -> None:
    job = services.upload(world.a, KEY, upload("bad.xlsx", xlsx_bytes(BAD)),
                          world.users["manager"])
    assert job.status == ImportStatus.VALIDATED
    assert job.total_rows == 4
    assert job.valid_rows == 2
    assert job.error_rows == 2
    assert sorted((e["row"], e["column"]) for e in job.errors) == [
        (3, "code"), (3, "order"), (3, "since"), (4, "code")]
    assert all(e["message"] for e in job.errors)
    assert codes(world.a) == set()  # validation writes nothing
    assert job.file.name.startswith(f"imports/{world.a.pk}/")
    assert job.created_by == world.users["manager"]


def test_ast10_all_or_nothing_refused_while_any_row_has_an_error(world: World,
                                                                  importer: Any) -> None:
    job = services.upload(world.a, KEY, upload("bad.csv", csv_bytes(BAD)), None)
    with pytest.raises(ServiceError) as caught:
        services.commit(job, ImportMode.ALL_OR_NOTHING, world.users["manager"])
    assert "mode" in caught.value.message_dict
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED  # still committable as valid rows
    assert codes(world.a) == set()


def test_ast10_all_or_nothing_writes_a_clean_file(world: World, importer: Any) -> None:
    job = services.upload(world.a, KEY, upload("good.xlsx", xlsx_bytes(GOOD)), None)
    job = services.commit(job, ImportMode.ALL_OR_NOTHING, world.users["manager"])
    assert job.status == ImportStatus.DONE
    assert job.written == 2
    assert job.committed_by == world.users["manager"]
    assert job.finished_at is not None
    assert codes(world.a) == {"t1", "t2"}
    assert codes(world.b) == set()


def test_ast10_valid_rows_mode_writes_only_the_valid_rows(world: World, importer: Any) -> None:
    job = services.upload(world.a, KEY, upload("bad.xlsx", xlsx_bytes(BAD)), None)
    job = services.commit(job, ImportMode.VALID_ROWS, world.users["purchaser"])
    assert job.status == ImportStatus.DONE
    assert job.written == 2
    assert codes(world.a) == {"t1", "t4"}
    assert SiteType.objects.get(contract=world.a, code="t1").name == "类型一"  # not row 4's
    assert len(job.errors) == 4  # the skipped rows stay listed


def test_ast10_a_second_commit_is_refused(world: World, importer: Any) -> None:
    job = services.upload(world.a, KEY, upload("good.csv", csv_bytes(GOOD)), None)
    services.commit(job, ImportMode.VALID_ROWS, None)
    SiteType.objects.filter(contract=world.a).delete()
    with pytest.raises(ConflictError):
        services.commit(job, ImportMode.VALID_ROWS, None)
    with pytest.raises(ConflictError):
        services.commit(ImportJob.objects.get(pk=job.pk), ImportMode.ALL_OR_NOTHING, None)
    assert codes(world.a) == set()


def test_ast10_reimport_upserts_by_natural_key(world: World, importer: Any) -> None:
    for _round in range(2):
        job = services.upload(world.a, KEY, upload("good.csv", csv_bytes(GOOD)), None)
        services.commit(job, ImportMode.ALL_OR_NOTHING, None)
    assert SiteType.objects.filter(contract=world.a).count() == 2


def test_ast10_failed_write_rolls_back_everything(world: World,
                                                  importer: SiteTypeImporter) -> None:
    importer.fail_on = "t2"  # t1 is written first, then the importer fails
    job = services.upload(world.a, KEY, upload("good.csv", csv_bytes(GOOD)), None)
    job = services.commit(job, ImportMode.ALL_OR_NOTHING, None)
    assert job.status == ImportStatus.FAILED
    assert job.failure
    assert codes(world.a) == set()
    with pytest.raises(ConflictError):  # a failed job is not retried: upload again
        services.commit(job, ImportMode.ALL_OR_NOTHING, None)


def test_ast10_rows_checked_again_at_commit(world: World, importer: SiteTypeImporter,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    job = services.upload(world.a, KEY, upload("good.csv", csv_bytes(GOOD)), None)
    original = SiteTypeImporter.clean_row

    def stricter(self: Any, contract: Any, values: dict[str, str], row: int,
                 context: dict[str, Any]) -> Any:
        cleaned, errors = original(self, contract, values, row, context)
        if values["code"] == "t2":
            return None, [*errors, services.RowError(row, "code", "now taken")]
        return cleaned, errors

    monkeypatch.setattr(SiteTypeImporter, "clean_row", stricter)
    job = services.commit(job, ImportMode.ALL_OR_NOTHING, None)
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"row": 3, "column": "code", "message": "now taken"}]
    assert codes(world.a) == set()


@pytest.mark.parametrize(("name", "content", "field"), [
    ("empty.csv", b"", "file"),
    ("only-header.csv", b"code,name\n", "file"),
    ("wrong.csv", b"colour\nred\n", "file"),
    ("types.pdf", b"%PDF-1.4", "file"),
])
def test_ast10_bad_files_refused_and_not_kept(world: World, importer: Any, name: str,
                                              content: bytes, field: str, settings: Any) -> None:
    with pytest.raises(ServiceError) as caught:
        services.upload(world.a, KEY, upload(name, content), None)
    assert field in caught.value.message_dict
    assert not ImportJob.objects.exists()
    media = settings.MEDIA_ROOT / "imports"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_ast10_size_limit(world: World, importer: Any, settings: Any) -> None:
    settings.WEIBAO_MAX_UPLOAD_MB = 1
    content = csv_bytes([GOOD[0], *[[f"c{i}", "x" * 200, "", ""] for i in range(6000)]])
    with pytest.raises(ServiceError, match="MB"):
        services.upload(world.a, KEY, upload("big.csv", content), None)


def test_ast10_unknown_importer_and_mode(world: World, importer: Any) -> None:
    with pytest.raises(ServiceError):
        services.upload(world.a, "nope", upload("t.csv", csv_bytes(GOOD)), None)
    job = services.upload(world.a, KEY, upload("t.csv", csv_bytes(GOOD)), None)
    with pytest.raises(ServiceError):
        services.commit(job, "everything", None)


def test_ast10_nothing_valid_cannot_be_committed(world: World, importer: Any) -> None:
    job = services.upload(world.a, KEY, upload("t.csv", csv_bytes([GOOD[0], ["", "x"]])), None)
    assert job.valid_rows == 0
    with pytest.raises(ServiceError):
        services.commit(job, ImportMode.VALID_ROWS, None)


def test_ast10_long_files_run_in_the_background_with_progress(
        world: World, importer: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.WEIBAO_IMPORT_INLINE_ROWS = 100
    monkeypatch.setattr(services, "PROGRESS_EVERY", 50)
    seen: list[tuple[str, int]] = []
    original = services._progress_saver

    def spy(job: ImportJob) -> Any:
        save = original(job)

        def record(done: int) -> None:
            save(done)
            fresh = ImportJob.objects.get(pk=job.pk)
            seen.append((fresh.status, fresh.progress))
        return record

    monkeypatch.setattr(services, "_progress_saver", spy)
    calls: list[str] = []
    from weibao.imports import tasks

    for name in ("validate_job", "commit_job"):
        task = getattr(tasks, name)
        monkeypatch.setattr(tasks, name, _spy_task(task, calls, name))
    rows = [GOOD[0], *[[f"c{i}", f"类型{i}", i, ""] for i in range(230)]]
    job = services.upload(world.a, KEY, upload("long.xlsx", xlsx_bytes(rows)), None)
    assert job.background
    assert job.status == ImportStatus.VALIDATED
    assert job.progress == 230
    assert seen == [("validating", 50), ("validating", 100), ("validating", 150),
                    ("validating", 200)]
    seen.clear()
    job = services.commit(job, ImportMode.ALL_OR_NOTHING, None)
    assert calls == ["validate_job", "commit_job"]
    assert job.status == ImportStatus.DONE
    assert job.written == 230
    assert [s for s, _p in seen] == ["importing"] * 4
    assert len(codes(world.a)) == 230


def _spy_task(task: Any, calls: list[str], name: str) -> Any:
    def run(*args: Any) -> Any:
        calls.append(name)
        return task(*args)  # huey runs it at once in the tests (immediate mode)
    return run


def test_ast10_small_files_run_inline(world: World, importer: Any) -> None:
    job = services.upload(world.a, KEY, upload("t.csv", csv_bytes(GOOD)), None)
    assert not job.background


@pytest.mark.django_db(transaction=True)
def test_ast10_concurrent_commits_write_once(world: World, importer: Any) -> None:
    """Two requests commit the same job at once: exactly one wins, the other gets 409."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the lock is exercised on PostgreSQL")
    job = services.upload(world.a, KEY, upload("t.csv", csv_bytes(GOOD)), None)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def attempt() -> None:
        barrier.wait()
        try:
            services.commit(ImportJob.objects.get(pk=job.pk), ImportMode.VALID_ROWS, None)
            results.append("ok")
        except ConflictError:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]
    assert ImportJob.objects.get(pk=job.pk).written == 2
