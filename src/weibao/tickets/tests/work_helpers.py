"""Helpers of the work tests (TKT-06..09): a restored ticket, a stocked warehouse, a signature."""

from __future__ import annotations

import base64
import io
import zlib

from weibao.spares import services as spares
from weibao.spares.models import PartType, Warehouse
from weibao.tickets import services
from weibao.tickets.models import Ticket
from weibao.tickets.tests.conftest import Setup

__all__ = ["SIGNATURE", "restored", "stocked", "submitted"]


def _png(width: int = 4, height: int = 2) -> bytes:
    """A tiny valid black-and-white PNG, as the signature pad would send."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (len(data).to_bytes(4, "big") + body
                + (zlib.crc32(body) & 0xFFFFFFFF).to_bytes(4, "big"))

    raw = b"".join(b"\x00" + b"\x00" * width for _ in range(height))
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", width.to_bytes(4, "big") + height.to_bytes(4, "big")
                    + bytes([8, 0, 0, 0, 0])))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


SIGNATURE = "data:image/png;base64," + base64.b64encode(_png()).decode()


def restored(ca: Setup, *, code: str = "fault", **extra: object) -> Ticket:
    """A ticket of seed 002 reported, acknowledged and restored by the engineer (real now)."""
    ticket = services.create_ticket(services.TicketInput(
        contract=ca.contract, ticket_type=ca.ticket_type(code), title="读卡机无法读卡",
        description="网点读卡机故障，无法读取社保卡", **extra),  # type: ignore[arg-type]
        actor=ca.people["purchaser"])
    ticket = services.transition(ticket, "acknowledge", ca.people["engineer"])
    return services.transition(ticket, "restore", ca.people["engineer"])


def submitted(ca: Setup, **extra: object) -> Ticket:
    ticket = restored(ca, **extra)
    services.save_report(ticket, ca.people["engineer"], cause="读卡机磁头积灰",
                         actions="清洁磁头并更换读卡模块", prevention="每月清洁一次")
    services.submit_report(ticket, ca.people["engineer"])
    ticket.refresh_from_db()
    return ticket


def stocked(ca: Setup, quantity: int = 5) -> tuple[Warehouse, PartType]:
    part = PartType.objects.get(contract=ca.contract, code="ups-battery")
    warehouse = Warehouse.objects.create(contract=ca.contract, code="wh1", name="示例备件库")
    spares.receive(warehouse=warehouse, part_type=part, quantity=quantity,
                   actor=ca.people["manager"])
    return warehouse, part
