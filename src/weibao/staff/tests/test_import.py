"""The team roster from a spreadsheet (STF-01, STF-02, AST-10's framework): every row error is
listed with its column, nothing is written while any row is wrong, a clean file creates the
team with encrypted personal data, and a second file updates members by name."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from weibao.imports import services
from weibao.imports.choices import ImportMode, ImportStatus
from weibao.imports.tests.conftest import upload, xlsx_bytes
from weibao.staff.models import Member
from weibao.staff.selectors import contract_compliance
from weibao.testing.examples import Setup, example_setup

HEADER = ["name", "role", "resident", "starts_on", "ends_on", "phone", "id_number",
          "education", "years_experience", "certificate", "certificate_expires_on"]
ID = "11010519491231002X"


@pytest.fixture
def onsite(db: object, settings: Any, tmp_path: Any) -> Setup:
    settings.MEDIA_ROOT = tmp_path / "media"
    return example_setup("001-changzhou-hrss-onsite.yaml", "imp")


def _run(s: Setup, rows: list[list[Any]]) -> Any:
    job = services.upload(s.contract, "staff", upload("team.xlsx", xlsx_bytes([HEADER, *rows])),
                          s.people["manager"])
    return job


def test_stf01_every_row_error_is_listed_and_nothing_written(onsite: Setup) -> None:
    job = _run(onsite, [
        ["王驻场", "项目经理", "是", "2024-09-01", "", "13812345678", ID, "本科", 5, "", ""],
        ["", "工程师", "是", "2024-09-01", "", "", "", "", "", "", ""],
        ["李驻场", "厨师", "否", "2024-13-01", "", "12345", "110105194912310021", "小学", "x",
         "", ""],
        ["王驻场", "工程师", "是", "2024-09-01", "2024-08-01", "", "", "", "", "", ""],
    ])
    assert job.status == ImportStatus.VALIDATED and job.error_rows == 3
    assert sorted((e["row"], e["column"]) for e in job.errors) == [
        (3, "name"), (4, "education"), (4, "id_number"), (4, "phone"), (4, "role"),
        (4, "starts_on"), (4, "years_experience"), (5, "ends_on"), (5, "name")]
    assert Member.objects.filter(contract=onsite.contract).count() == 0


def test_stf01_a_clean_file_creates_the_team_and_a_second_one_updates_it(onsite: Setup):
    job = _run(onsite, [
        ["王驻场", "项目经理", "是", "2024-09-01", "", "138 1234 5678", ID, "本科", 5,
         "信息系统运行管理员", "2026-12-31"],
        ["李驻场", "工程师", "是", "2024-09-01", "", "", "", "本科", 3, "", ""],
    ])
    services.commit(job, ImportMode.ALL_OR_NOTHING, onsite.people["manager"])
    team = {m.name: m for m in Member.objects.filter(contract=onsite.contract)
            .select_related("personal").prefetch_related("certificates")}
    assert set(team) == {"王驻场", "李驻场"}
    assert team["王驻场"].personal.phone == "13812345678"
    assert team["王驻场"].personal.id_number == ID
    assert [c.expires_on for c in team["王驻场"].certificates.all()] == [
        datetime.date(2026, 12, 31)]
    assert all(r.ok for r in contract_compliance(onsite.contract, datetime.date(2024, 10, 8)))
    second = _run(onsite, [["李驻场", "工程师", "否", "2024-09-01", "2024-12-31", "", "",
                            "大专", 3, "", ""]])
    services.commit(second, ImportMode.ALL_OR_NOTHING, onsite.people["manager"])
    li = Member.objects.select_related("personal").get(contract=onsite.contract, name="李驻场")
    assert (li.resident, li.ends_on, li.personal.education) == (
        False, datetime.date(2024, 12, 31), "college")
    assert Member.objects.filter(contract=onsite.contract).count() == 2
