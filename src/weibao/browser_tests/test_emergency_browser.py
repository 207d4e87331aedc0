"""The emergency pages in a real browser (EMG-02, EMG-03; issue 12 "done when"): the vendor's
engineer records a drill on a 390 px phone — the record, a photo, "drill held" — and the
purchaser approves a disposal plan, after which the engineer may start eradication."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from weibao.browser_tests.conftest import log_in
from weibao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> dict[str, Any]:
    from weibao.testing.examples import example_setup

    setup = example_setup("002-shanghai-hrss-ca-integration.yaml", "emg")
    return {"contract": setup.contract, **setup.people}


def _jpeg(path: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_engineer_records_a_drill_on_the_phone(browser: Any, phone: Any, live_server: Any,
                                               tmp_path: Path) -> None:
    """EMG-02: on a 390 px page the engineer fills the drill's record, adds a photo and marks
    it held; the page shows it held, with nothing wider than the screen."""
    from weibao.emergency.choices import DrillStatus
    from weibao.emergency.models import Drill

    world = _world()
    drill = Drill.objects.get(contract=world["contract"], system__code="sys-labour",
                              sequence=1)
    base = live_server.url
    log_in(phone, base, world["engineer"].username, PASSWORD)
    phone.goto(f"{base}/emergency/drills/")
    phone.click(f"[data-testid=drill-{drill.pk}]")
    phone.wait_for_url(f"{base}/emergency/drills/{drill.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.set_input_files("#id_image", str(_jpeg(tmp_path / "scene.jpg")))
    phone.fill("#id_caption", "演练现场")
    phone.click("[data-testid=drill-photo-add]")
    phone.wait_for_selector("[data-testid=drill-photos] img")
    phone.fill("#id_scenario", "核心数据库主节点宕机")
    phone.fill("#id_script", "1. 告警 2. 切换 3. 验证")
    phone.fill("#id_training", "演练前一周培训")
    phone.select_option("#id_participants", label=str(world["engineer"]))
    phone.fill("#id_held_at", "2025-05-10T10:00")
    phone.fill("#id_record", "10:00 开始，10:30 恢复")
    phone.click("[data-testid=drill-complete]")
    phone.wait_for_selector("[data-testid=form-errors], .invalid-feedback")  # no summary yet
    phone.fill("#id_summary", "切换用时 30 分钟，达标")
    phone.click("[data-testid=drill-complete]")
    phone.wait_for_selector("[data-testid=drill-summary]")
    assert phone.get_attribute("[data-testid=drill-status]", "data-status") == "held"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    drill.refresh_from_db()
    assert drill.status == DrillStatus.HELD and drill.photos.count() == 1


def test_purchaser_approves_a_disposal_plan(browser: Any, page: Any,
                                            live_server: Any) -> None:
    """EMG-03: the engineer reports an incident and submits the disposal plan; eradication
    is not offered until the purchaser approves it on the incident's page."""
    from weibao.emergency.choices import DisposalPlanStatus
    from weibao.emergency.models import SecurityIncident

    world = _world()
    base = live_server.url
    log_in(page, base, world["engineer"].username, PASSWORD)
    page.goto(f"{base}/emergency/incidents/new/")
    page.fill("#id_title", "门户网站被篡改")
    page.fill("#id_description", "首页被植入外链")
    page.fill("#id_discovered_at", "2025-06-01T09:00")
    page.select_option("#id_reported_to", label=str(world["purchaser"]))
    page.click("[data-testid=incident-save]")
    page.wait_for_selector("[data-testid=phase-bar]")
    incident = SecurityIncident.objects.get(contract=world["contract"])
    url = f"{base}/emergency/incidents/{incident.pk}/"
    for notes in ("启动应急小组", "原因：弱口令"):
        page.fill("#id_notes", notes)
        page.click("[data-testid=phase-advance]")
        page.wait_for_url(url)
    page.fill("#id_disposal_plan", "清除外链，修改口令，加固")
    page.click("[data-testid=plan-submit]")
    page.wait_for_selector("[data-testid=plan-status][data-status=submitted]")
    page.fill("#id_notes", "已隔离")
    page.click("[data-testid=phase-advance]")  # eradication before approval: refused
    page.wait_for_selector("[data-testid=form-errors]")
    assert SecurityIncident.objects.get(pk=incident.pk).phase == "containment"
    page.context.clear_cookies()
    log_in(page, base, world["purchaser"].username, PASSWORD)
    page.goto(url)
    page.fill("#id_reason", "同意")
    page.click("[data-testid=plan-approve]")
    page.wait_for_selector("[data-testid=plan-status][data-status=approved]")
    assert SecurityIncident.objects.get(pk=incident.pk).plan_status == \
        DisposalPlanStatus.APPROVED
    page.context.clear_cookies()
    log_in(page, base, world["engineer"].username, PASSWORD)
    page.goto(url)
    page.fill("#id_notes", "已隔离")
    page.click("[data-testid=phase-advance]")
    page.wait_for_selector("[data-phase=eradication][aria-current=step]")
