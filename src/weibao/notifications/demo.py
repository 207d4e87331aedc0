"""Demo data of the notifications app, loaded by ``weibao demo``: for each example contract a
WeCom group robot channel of its vendor's duty group, switched off (its address is a
placeholder an administrator replaces with the robot's real URL), and a DingTalk robot for
seed 002's SLA breaches, also off. The notifications themselves come from the other demos:
their tickets, alerts and incidents are events the worker fans out to the demo accounts.

Running it again changes nothing: a contract that has a channel is skipped."""

from __future__ import annotations

from collections.abc import Callable

from weibao.contracts.models import Contract
from weibao.notifications.choices import ChannelKind
from weibao.notifications.models import Channel

__all__ = ["load_demo"]

PLACEHOLDER = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=REPLACE-ME"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=REPLACE-ME"


def load_demo(write: Callable[[str], object]) -> None:
    made = 0
    for contract in Contract.objects.order_by("number"):
        if Channel.objects.filter(contract=contract).exists():
            continue
        channel = Channel(name="乙方值班群（企业微信机器人）", kind=ChannelKind.WECOM,
                          contract=contract, active=False,
                          events=["ticket.reported", "sla.warning", "sla.breach"])
        channel.set_address(PLACEHOLDER)
        channel.save()
        made += 1
        if contract.number == "310000000241106144530-00183718":
            ding = Channel(name="甲方信息中心（钉钉机器人）", kind=ChannelKind.DINGTALK,
                           contract=contract, active=False, events=["sla.breach"])
            ding.set_address(DINGTALK)
            ding.set_secret("SEC-REPLACE-ME")
            ding.save()
            made += 1
    if made:
        write(f"notifications: {made} channels (switched off until configured)")
