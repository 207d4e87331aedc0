"""Demo data of the emergency app, loaded by ``weibao demo`` (EMG-01..04), all fictitious and
written through the services:

- seed 002 (drill rules of §9.1.1 2): a plan of the important 劳动保障管理信息系统 (two
  versions) and one of the whole contract whose review is overdue; the important system's
  first drill held in its window with photos, its second held late, five of the nine other
  systems' drills held, the rest missed — breaches the ledger takes in; a security incident in
  eradication (plan approved) and one closed with its report; the National Day period with
  on-site duty and its 《重保时期安全服务报告》.
- seed 001: a plan of 公共服务, an incident in containment whose disposal plan awaits the
  purchaser, the Spring Festival duty (假期值班计划, L102).
- seed 000: the outlets' 应急报修 plan of the whole contract.
- seed 004: a plan of the 政务云管理平台 and a major conference's on-site duty.

Running it again changes nothing: a contract that already has an emergency plan is skipped.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core.choices import Role
from weibao.core.models import User
from weibao.core.services import save_user
from weibao.emergency.choices import IncidentPhase, PeriodKind
from weibao.emergency.models import Drill, EmergencyPlan
from weibao.emergency.services import drills, incidents, periods, plans

__all__ = ["CONTRACTS", "load_demo"]

CONTRACTS = {"000": "11N4252038312025801", "001": "20241149308",
             "002": "310000000241106144530-00183718", "004": "11N4251906122026201"}
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
        b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
SECTIONS = {
    "organisation": "组长：项目经理（示例）；副组长：技术负责人；成员：驻场工程师。",
    "prevention": "每日早晚巡检；每月隐患排查；每季度风险评估；每日增量备份、每周全量备份。",
    "response_levels": "Ⅰ级（紧急）：30 分钟内到场，组长指挥；Ⅱ级（严重）：1 小时内到场；"
                       "Ⅲ级、Ⅳ级：按工单时限处理。",
    "disposal": "发现报告→研判定级→业务缓解（切换备机）→网络封堵→取证→清除→恢复。",
    "recovery": "从最近一次全量备份及增量日志恢复，核对数据完整性后恢复业务。",
}


def _person(contract: Contract, party: str, slug: str, role: str) -> User | None:
    side = contract.vendor if party == "vendor" else contract.purchaser
    if side is None:
        return None
    org = side.organisation
    username = f"{org.code}-{slug}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = save_user({"username": username, "organisation": org, "role": role,
                          "first_name": f"{org.short_name or org.name}演示{slug}"[:150],
                          "email": f"{username}@example.com", "is_active": True})
    return user


def _photo(seed: int) -> ContentFile[bytes]:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (200 + seed % 50, 220, 235))
    ImageDraw.Draw(image).rectangle((40, 60, 280, 180), outline="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=f"drill-{seed}.jpg")


def _hold(drill: Drill, engineer: User, manager: User, held_at: datetime.datetime) -> None:
    drills.save_drill(drill, engineer, {
        "scenario": f"{drill.system.name}核心数据库主节点宕机（示例场景）",
        "script": "1. 监控告警 2. 研判定级 3. 切换至备节点 4. 业务验证 5. 回切",
        "training": "演练前一周组织参演人员培训脚本与分工（示例）。",
        "record": "09:30 开始；09:42 完成切换；10:05 业务验证通过；10:30 回切完成。",
        "summary": "切换用时 12 分钟，达到预案目标；改进：告警通知增加短信渠道。",
        "held_at": held_at}, participants=[engineer, manager], complete=True)


def _seed_002(contract: Contract, people: dict[str, User]) -> None:
    manager, engineer, purchaser = people["manager"], people["engineer"], people["purchaser"]
    labour = Asset.objects.get(contract=contract, code="sys-labour")
    plan = plans.create_plan(contract, manager, title="上海市劳动保障管理信息系统应急预案",
                             system=labour)
    plans.issue_version(plan, manager, {**SECTIONS, "note": "初版"})
    plans.issue_version(plan, manager, {**SECTIONS, "note": "更新应急联系人（示例）",
                                        "review_due": timezone.localdate()
                                        + datetime.timedelta(days=90)},
                        document=ContentFile(_PDF, name="labour-plan-v2.pdf"))
    overall = plans.create_plan(contract, manager, title="数字认证集成维护项目总体应急预案")
    plans.issue_version(overall, manager, SECTIONS)
    EmergencyPlan.objects.filter(pk=overall.pk).update(
        review_due=timezone.localdate() - datetime.timedelta(days=10))  # overdue, on purpose
    mine = Drill.objects.filter(contract=contract).select_related("system", "rule").order_by(
        "rule__order", "system__name", "sequence")
    others = [d for d in mine if d.rule.code == "other-systems"]
    first, second = (d for d in mine if d.system_id == labour.pk)
    _hold(first, engineer, manager,
          first.window_start + datetime.timedelta(days=40, hours=9, minutes=30))
    for i in range(2):
        drills.add_photo(first, engineer, _photo(first.pk * 10 + i), f"演练现场{i + 1}")
    for drill in others[:5]:
        _hold(drill, engineer, manager,
              drill.window_start + datetime.timedelta(days=120, hours=14))
    drills.close_windows()  # the rest are missed: breaches (the rules say so)
    _hold(second, engineer, manager, second.window_end + datetime.timedelta(days=3))
    from weibao.assessment.services.ledger import sync_ledger

    sync_ledger(contract)
    now = timezone.now()
    open_one = incidents.report_incident(
        contract, engineer, title="门户网站页面被篡改（示例）", discovered_at=now
        - datetime.timedelta(hours=5), reported_to=purchaser, system=labour,
        description="监测平台发现首页被植入外部链接。")
    open_one = incidents.advance_phase(open_one, engineer, IncidentPhase.ASSESSMENT,
                                       notes="启动应急小组，保全日志。")
    open_one = incidents.advance_phase(open_one, engineer, IncidentPhase.CONTAINMENT,
                                       notes="原因：后台弱口令；影响：首页，无数据泄露。")
    open_one = incidents.submit_disposal_plan(open_one, engineer,
                                              "下线被篡改页面，修改口令，清除外链，加固后台。")
    open_one = incidents.decide_disposal_plan(open_one, purchaser, approve=True)
    incidents.advance_phase(open_one, engineer, IncidentPhase.ERADICATION,
                            notes="页面已下线，访问已封堵。")
    closed = incidents.report_incident(
        contract, engineer, title="异常登录告警（示例）", discovered_at=now
        - datetime.timedelta(days=20), reported_to=purchaser,
        description="堡垒机出现境外 IP 登录尝试。")
    for phase, notes in ((IncidentPhase.ASSESSMENT, "核查告警"),
                         (IncidentPhase.CONTAINMENT, "尝试均失败，无入侵")):
        closed = incidents.advance_phase(closed, engineer, phase, notes=notes)
    closed = incidents.submit_disposal_plan(closed, engineer, "封禁来源 IP，启用双因素认证。")
    closed = incidents.decide_disposal_plan(closed, purchaser, approve=True)
    closed = incidents.advance_phase(closed, engineer, IncidentPhase.ERADICATION, notes="封禁")
    closed = incidents.advance_phase(closed, engineer, IncidentPhase.SUMMARY, notes="已启用")
    closed = incidents.file_report(closed, engineer, summary="发现、原因、影响、处置与改进（示例）",
                                   report=ContentFile(_PDF, name="incident-report.pdf"))
    incidents.advance_phase(closed, engineer, IncidentPhase.CLOSED)
    period = periods.create_period(contract, purchaser, name="国庆重要保障时期（示例）",
                                   kind=PeriodKind.HOLIDAY, starts_on=datetime.date(2025, 10, 1),
                                   ends_on=datetime.date(2025, 10, 7))
    for offset in range(7):
        periods.assign_duty(period, manager, person=engineer if offset % 2 == 0 else manager,
                            day=period.starts_on + datetime.timedelta(days=offset),
                            shift="全天", place="天山路1800号机房")
    periods.file_period_report(period, engineer, title="《重保时期安全服务报告》（示例）",
                               content="值守 7 天，未发生安全事件；加固漏洞 3 项。")


def _seed_001(contract: Contract, people: dict[str, User]) -> None:
    manager, engineer, purchaser = people["manager"], people["engineer"], people["purchaser"]
    system = Asset.objects.get(contract=contract, code="sys-public-service")
    plan = plans.create_plan(contract, manager, title="公共服务系统应急预案", system=system,
                             review_due=timezone.localdate() + datetime.timedelta(days=60))
    plans.issue_version(plan, manager, SECTIONS)
    incident = incidents.report_incident(
        contract, engineer, title="接口异常调用（示例）", reported_to=purchaser, system=system,
        discovered_at=timezone.now() - datetime.timedelta(hours=2),
        description="开放平台出现大量异常调用。")
    incident = incidents.advance_phase(incident, engineer, IncidentPhase.ASSESSMENT,
                                       notes="通知甲方负责人，启动响应。")
    incident = incidents.advance_phase(incident, engineer, IncidentPhase.CONTAINMENT,
                                       notes="来源为第三方账号泄露；影响：查询接口。")
    incidents.submit_disposal_plan(incident, engineer, "停用泄露账号，限流，更换密钥。")
    period = periods.create_period(contract, purchaser, name="春节假期值班（示例）",
                                   kind=PeriodKind.HOLIDAY,
                                   starts_on=datetime.date(2025, 1, 28),
                                   ends_on=datetime.date(2025, 2, 4))
    periods.assign_duty(period, manager, person=engineer, day=period.starts_on, shift="白班",
                        place="政务服务中心9楼")


def _seed_000(contract: Contract, people: dict[str, User]) -> None:
    plan = plans.create_plan(contract, people["manager"], title="网点应急报修预案（示例）")
    plans.issue_version(plan, people["manager"], {
        "disposal": "接报后按故障级别派单，备机替换，恢复受理。", "recovery": "备机替换。"})


def _seed_004(contract: Contract, people: dict[str, User]) -> None:
    manager, engineer, purchaser = people["manager"], people["engineer"], people["purchaser"]
    system = Asset.objects.get(contract=contract, code="qp-cloud-mgmt")
    plan = plans.create_plan(contract, manager, title="政务云管理平台应急预案", system=system)
    plans.issue_version(plan, manager, SECTIONS)
    start = max(contract.start_date, timezone.localdate() - datetime.timedelta(days=30))
    period = periods.create_period(contract, purchaser, name="重大会议保障（示例）",
                                   kind=PeriodKind.EVENT, starts_on=start,
                                   ends_on=start + datetime.timedelta(days=2))
    periods.assign_duty(period, manager, person=engineer, day=start, shift="全天",
                        place="青浦区政务云机房")


_LOADERS = {"000": _seed_000, "001": _seed_001, "002": _seed_002, "004": _seed_004}


def load_demo(write: Callable[[str], object]) -> None:
    for seed, number in CONTRACTS.items():
        contract = Contract.objects.filter(number=number).first()
        if contract is None or EmergencyPlan.objects.filter(contract=contract).exists():
            continue
        people = {"manager": _person(contract, "vendor", "manager", Role.VENDOR_MANAGER),
                  "engineer": _person(contract, "vendor", "engineer", Role.VENDOR_ENGINEER),
                  "purchaser": _person(contract, "purchaser", "purchaser",
                                       Role.PURCHASER_STAFF)}
        if any(p is None for p in people.values()):
            continue
        _LOADERS[seed](contract, {k: v for k, v in people.items() if v is not None})
        write(f"emergency demo: contract {number} (seed {seed})")
