"""Permissions of each role in the tickets domain, merged by weibao.core.permissions."""

from __future__ import annotations

from weibao.core.choices import Role

__all__ = ["ROLE_PERMISSIONS"]


def _perms(action: str, *models: str) -> set[str]:
    return {f"tickets.{action}_{model}" for model in models}


_VIEW = _perms("view", "ticket", "ticketevent", "ticketstage", "ticketpause", "tickettype",
               "slaalert", "ticketvendor", "ticketattachment", "faultreport", "satisfaction",
               "returnvisit", "requirementchange", "article")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.VENDOR_MANAGER: frozenset(
        _VIEW | _perms("add", "ticket", "faultreport", "returnvisit", "requirementchange",
                       "article", "ticketattachment")
        | _perms("change", "ticket", "faultreport", "requirementchange", "article")
        | {"tickets.work_ticket", "tickets.assign_ticket", "tickets.delete_article"}),
    Role.VENDOR_ENGINEER: frozenset(
        _VIEW | _perms("add", "ticket", "faultreport", "returnvisit", "article",
                       "ticketattachment")
        | _perms("change", "ticket", "faultreport", "article")
        | {"tickets.work_ticket"}),
    Role.PURCHASER_STAFF: frozenset(
        _VIEW | _perms("add", "ticket", "satisfaction", "requirementchange",
                       "ticketattachment")
        | {"tickets.verify_ticket", "tickets.prioritise_ticket",
           "tickets.confirm_ticketevent"}),
    Role.SITE_STAFF: frozenset(
        _perms("view", "ticket", "ticketevent", "ticketstage", "tickettype", "satisfaction")
        | _perms("add", "ticket", "satisfaction", "ticketattachment")),
    Role.SUPERVISOR: frozenset(_VIEW | {"tickets.change_requirementchange",
                                        "tickets.decide_requirementchange"}),
}
