"""Benchmark of signed maintenance sheets (PM-02).  A script, not a test.

    [DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres] python bench/bench_sheets.py \
        [--visits 30] [--photos 3]

Imports seed 000 (outlets), builds a fourteen-item checklist like the seed's 社保卡受理网点
checks, and carries out ``--visits`` visits end to end: check in, ``--photos`` photos of
4000×3000 px each (resized on the server), all answers, asset verification of two assets, and
the submission with a drawn signature — the signed PDF rendered, its SM3 digest stored.
Prints p50/p95/max of:

* ``render_sheet_pdf`` alone (the sheet with its photo thumbnails and signature),
* the whole ``submit_visit`` (validation, archive entries, PDF, digest, files),
* ``add_photo`` (decode, turn upright, resize to 1600 px, re-encode),

then the month's ZIP and combined PDF of all the sheets. One more visit is done first to warm
up (WeasyPrint's import, the font files) and is not measured. Target: one signed sheet PDF
<= 1 s. Runs on PostgreSQL in the throw-away database ``weibao_bench_sheets`` when
DATABASE_URL points at PostgreSQL, else on SQLite in a throw-away data folder.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchargs import at_least

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "weibao_bench_sheets"
TARGET_MS = 1000.0
ITEMS = [("hw", "检查网点软硬件是否正常工作", "pass_fail"),
         ("virus", "检查病毒库是否更新", "pass_fail"),
         ("version", "核实使用软件版本", "text"),
         ("printer", "清洁平推打印机打印头", "pass_fail"),
         ("camera", "检查照相机及灯光套件", "pass_fail"),
         ("reader", "检查读卡器读写功能", "pass_fail"),
         ("network", "检查网络连通情况", "choice"), ("temp", "机房温度", "number"),
         ("ups", "检查UPS电源", "pass_fail"), ("cables", "整理线缆并检查接口", "pass_fail"),
         ("backup", "检查数据备份情况", "pass_fail"), ("cabinet", "设备外观及机柜照片", "photo"),
         ("assets", "核实网点资产", "asset_verification"),
         ("advice", "网点意见与建议", "text")]


def _photo() -> bytes:
    """A 4000×3000 JPEG with detail (noise), as a phone camera gives."""
    from PIL import Image

    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _signature() -> str:
    import base64

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(20, 150), (200, 40), (380, 160), (580, 50)], fill="black",
                               width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _stats(name: str, values: list[float], target: float | None = None) -> None:
    values = sorted(values)
    p50 = statistics.median(values)
    p95 = values[max(0, round(0.95 * len(values)) - 1)]
    verdict = "" if target is None else (
        f"  target <= {target:.0f} ms  {'OK' if p95 <= target else 'SLOW'}")
    print(f"  {name:<18} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {values[-1]:7.1f} ms"
          f"{verdict}")


def _timed(call: Callable[[], Any], into: list[float]) -> Any:
    start = time.perf_counter()
    result = call()
    into.append((time.perf_counter() - start) * 1000)
    return result


def child(n_visits: int, n_photos: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
    django.setup()
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from weibao.assets.models import Asset, AssetType
    from weibao.contracts.spec.importer import import_text
    from weibao.core.choices import Role
    from weibao.core.models import User
    from weibao.maintenance.models import (
        ChecklistItem,
        ChecklistTemplate,
        MaintenancePlan,
        Visit,
    )
    from weibao.maintenance.pdf import month_sheets_pdf, month_sheets_zip, render_sheet_pdf
    from weibao.maintenance.services import visits as services
    from weibao.sites.models import District, Site, SiteType

    call_command("migrate", verbosity=0)
    spec = ROOT / "examples" / "contracts" / "000-shanghai-sbk-outlets.yaml"
    contract = import_text(spec.read_text("utf-8")).contract
    vendor = contract.vendor.organisation  # type: ignore[union-attr]
    engineer = User.objects.create(username="bench-engineer", organisation=vendor,
                                   role=Role.VENDOR_ENGINEER, first_name="张工")
    checklist = ChecklistTemplate.objects.create(contract=contract, code="sbk-14",
                                                 name="社保卡受理网点维护检查表")
    for order, (code, text, kind) in enumerate(ITEMS, start=1):
        ChecklistItem.objects.create(
            template=checklist, order=order, code=code, text=text, kind=kind,
            required=code != "advice", unit="℃" if kind == "number" else "",
            min_value=Decimal(-20) if kind == "number" else None,
            max_value=Decimal(60) if kind == "number" else None,
            normal_min=Decimal(10) if kind == "number" else None,
            normal_max=Decimal(30) if kind == "number" else None,
            choices=["正常", "缓慢", "中断"] if kind == "choice" else [],
            abnormal_choices=["缓慢", "中断"] if kind == "choice" else [])
    plan = MaintenancePlan.objects.create(
        contract=contract, code="outlet-monthly", name="网点月度维护", checklist=checklist,
        frequency="monthly", scope="site", signature="site_staff",
        sheet_title="受理网点维护单")
    site_type = SiteType.objects.get(contract=contract, code="sbk-outlet")
    district = District.objects.filter(contract=contract).first()
    asset_type = AssetType.objects.filter(contract=contract).order_by("pk")[0]
    now = timezone.now()
    photo, signature = _photo(), _signature()
    visits = []
    for i in range(n_visits + 1):
        site = Site.objects.create(contract=contract, code=f"SBK{i:04d}",
                                   name=f"示例社保卡受理网点{i:04d}", site_type=site_type,
                                   district=district)
        for n in (1, 2):
            Asset.objects.create(contract=contract, asset_type=asset_type, site=site,
                                 name=f"桌面计算机{n}", code=f"SBK{i:04d}-PC{n}")
        visits.append(Visit.objects.create(
            contract=contract, plan=plan, site=site, key=f"bench-{i}", assignee=engineer,
            window_start=now - datetime.timedelta(days=2),
            window_end=now + datetime.timedelta(days=5)))
    renders: list[float] = []
    submits: list[float] = []
    photos: list[float] = []
    sizes = []
    for visit in visits:
        services.check_in(visit, engineer)
        for n in range(n_photos):
            _timed(partial(services.add_photo, visit, engineer,
                           upload=SimpleUploadedFile("p.jpg", photo),
                           item_code="cabinet" if n == 0 else "", caption=f"照片{n + 1}"),
                   photos)
        assets = Asset.objects.filter(site=visit.site)
        answers: dict[str, Any] = {code: {"value": True} for code, _t, kind in ITEMS
                                   if kind == "pass_fail"}
        answers.update({"version": {"value": "V3.2"}, "network": {"value": "正常"},
                        "temp": {"value": 23}, "advice": {"value": "无"},
                        "assets": {"value": [{"asset": a.pk, "result": "present"}
                                             for a in assets]}})
        services.record_results(visit, engineer, answers)
        sheet = _timed(partial(services.submit_visit, visit.pk, engineer,
                               signature=signature, signer_name="王某"), submits)
        sizes.append(sheet.pdf.size)
        data = dict(sheet.snapshot, signature_image=signature)
        _timed(partial(render_sheet_pdf, visit, data), renders)
    # The first visit warms up (WeasyPrint's import, the font files): not measured.
    renders, submits, photos = renders[1:], submits[1:], photos[n_photos:]
    print(f"{connection.vendor}: {n_visits} visits of 14 items, {n_photos} photos each "
          f"(4000×3000), PDFs {statistics.median(sizes) / 1024:.0f} KiB median")
    _stats("render_sheet_pdf", renders, TARGET_MS)
    _stats("submit_visit", submits, TARGET_MS)
    _stats("add_photo", photos)
    local = timezone.localtime(visits[0].window_end - datetime.timedelta(seconds=1))
    manager = User.objects.create(username="bench-manager", organisation=vendor,
                                  role=Role.VENDOR_MANAGER)
    start = time.perf_counter()
    archive = month_sheets_zip(contract, local.year, local.month, manager)
    zipped = time.perf_counter() - start
    start = time.perf_counter()
    combined = month_sheets_pdf(contract, local.year, local.month, manager)
    joined = time.perf_counter() - start
    print(f"  month ZIP          {zipped * 1000:7.1f} ms  ({len(archive) / 1024:.0f} KiB)")
    print(f"  month PDF          {joined * 1000:7.1f} ms  ({len(combined) / 1024:.0f} KiB)")


def _run(n: int, photos: int, env: dict[str, str]) -> int:
    return subprocess.call([sys.executable, __file__, "--child", "--visits", str(n),
                            "--photos", str(photos)], env=env)


def _postgres(url: str, n: int, photos: int, base_env: dict[str, str]) -> int:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        return _run(n, photos, {**base_env, "DATABASE_URL": bench})
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--visits", type=at_least(1), default=30)
    parser.add_argument("--photos", type=at_least(1), default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.visits, args.photos)
        return
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="weibao-bench-sheets-") as data:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                    "WEIBAO_LOG_LEVEL": "WARNING"})
        if url.startswith(("postgres://", "postgresql://")):
            status = _postgres(url, args.visits, args.photos, env)
        else:
            status = _run(args.visits, args.photos, env)
    sys.exit(status)


if __name__ == "__main__":
    main()
