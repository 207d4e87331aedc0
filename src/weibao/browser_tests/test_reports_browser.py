"""Seed 000's monthly report in a real browser (RPT-01, RPT-03, RPT-07; issue 10 "done
when"): the vendor's manager finds the report on the deliverables calendar, generates the
draft (the progress bar follows the background job until it is done), downloads the PDF
(its text holds the report's Chinese title) and submits it; the purchaser accepts it."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.pdf, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "contracts"


def _world() -> dict[str, Any]:
    """Seed 000's contract (its spec owes 网点运维月报表 by the 21st), a vendor manager, a
    purchaser, and last month's report falling due in three days."""
    from django.utils import timezone

    from weibao.contracts.spec.importer import import_text
    from weibao.core.choices import Role
    from weibao.reports.models import Deliverable, Submission
    from weibao.testing.factories import UserFactory

    contract = import_text((EXAMPLES / "000-shanghai-sbk-outlets.yaml")
                           .read_text("utf-8")).contract
    manager = UserFactory(username="sbk-pm", organisation=contract.vendor.organisation,
                          role=Role.VENDOR_MANAGER, first_name="项目经理")
    purchaser = UserFactory(username="sbk-buyer", organisation=contract.purchaser.organisation,
                            role=Role.PURCHASER_STAFF, first_name="甲方")
    monthly = Deliverable.objects.get(contract=contract, code="monthly-report")
    first = timezone.localdate().replace(day=1)
    start = (first - datetime.timedelta(days=1)).replace(day=1)
    due = timezone.now() + datetime.timedelta(days=3)
    submission = Submission.objects.create(
        contract=contract, deliverable=monthly, key=f"browser-{start:%Y-%m}",
        period_start=start, period_end=first - datetime.timedelta(days=1), due_at=due)
    return {"contract": contract, "manager": manager, "purchaser": purchaser,
            "submission": submission, "due": timezone.localtime(due)}


def _worker(monkeypatch: Any) -> None:
    """The generation runs in a background thread, as huey's worker would, a moment after
    the request commits, so the page has a running job to poll."""
    from django.db import connection

    from weibao.reports.services import generation

    def run(job_id: int) -> None:
        try:
            threading.Event().wait(0.8)
            generation.run_generation(job_id)
        finally:
            connection.close()

    monkeypatch.setattr(generation, "_enqueue",
                        lambda job_id: threading.Thread(target=run, args=(job_id,),
                                                        daemon=True).start())


def _pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    return subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"],  # noqa: S603
                          capture_output=True, check=True, text=True).stdout


def test_manager_generates_downloads_and_submits_the_monthly_report_and_purchaser_accepts(
        browser: Any, page: Any, live_server: Any, tmp_path: Path, monkeypatch: Any,
        settings: Any) -> None:
    from weibao.reports.models import ReportFile, Submission

    settings.MEDIA_ROOT = tmp_path / "media"
    _worker(monkeypatch)
    world = _world()
    submission: Submission = world["submission"]
    base = live_server.url

    # 1. The deliverables calendar of the due month shows the report as due (blue).
    log_in(page, base, world["manager"].username, PASSWORD)
    page.goto(f"{base}/reports/calendar/?contract={world['contract'].pk}"
              f"&month={world['due']:%Y-%m}")
    badge = page.locator(f"[data-testid=calendar] [data-submission='{submission.pk}']")
    assert badge.get_attribute("data-state") == "due"
    badge.click()
    page.wait_for_url(f"{base}/reports/submissions/{submission.pk}/")
    assert "网点运维月报表" in page.locator("h2.page-title").inner_text()
    assert page.locator("[data-testid=deadline]").is_visible()

    # 2. Generate: the job is queued, the bar polls every second until the job is done
    #    and the page refreshes with the Word, Excel and PDF files.
    page.click("[data-testid=generate]")
    page.wait_for_selector("[data-testid=report-job]")
    page.wait_for_selector("[data-testid=report-job][data-job-status=done],"
                           "[data-testid=report-job][data-job-status=failed]", timeout=90_000)
    job = page.locator("[data-testid=report-job]")
    assert job.get_attribute("data-job-status") == "done", job.inner_text()
    assert page.locator("[data-testid=job-progress]").inner_text() == "100%"
    for fmt in ("docx", "xlsx", "pdf"):
        assert page.locator(f"[data-testid=download-{fmt}]").count() == 1, fmt
    assert page.locator("[data-testid=preview-pdf]").count() == 1

    # 3. Download the PDF: its text holds the report's Chinese title.
    with page.expect_download() as download_info:
        page.click("[data-testid=download-pdf]")
    saved = tmp_path / "report.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert "网点运维月报表" in _pdf_text(saved).replace(" ", "")
    assert ReportFile.objects.filter(submission=submission, revision=1).count() == 3

    # 4. Submit it (on time).
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=submission-status] [data-status=submitted]")
    submission.refresh_from_db()
    assert submission.status == "submitted" and not submission.late

    # 5. The purchaser accepts it; the history shows each step.
    buyer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    other = buyer.new_page()
    other.set_default_timeout(10_000)
    log_in(other, base, world["purchaser"].username, PASSWORD)
    other.goto(f"{base}/reports/submissions/{submission.pk}/")
    other.fill("#id_comment", "同意")
    other.click("[data-testid=accept]")
    other.wait_for_selector("[data-testid=submission-status] [data-status=accepted]")
    actions = other.locator("[data-testid=history] [data-action]")
    assert [actions.nth(i).get_attribute("data-action")
            for i in range(actions.count())] == ["accept", "submit", "generate"]
    buyer.close()
    submission.refresh_from_db()
    assert submission.status == "accepted"
