"""The ticket detail's "on duty" line (STF-04): a ticket reported at night finds who is on
duty."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from weibao.staff.services import add_duty_shift
from weibao.testing.examples import at, example_setup

LINE = Template("{% load staff_tags %}{% on_duty_line ticket %}")


@pytest.mark.django_db
def test_night_ticket_names_the_engineer_on_duty_stf04() -> None:
    s = example_setup("001-changzhou-hrss-onsite.yaml", "n")
    engineer = s.people["engineer"]
    add_duty_shift(s.contract, engineer, at("2026-10-01 18:00"), at("2026-10-02 08:00"))
    night = SimpleNamespace(contract=s.contract, reported_at=at("2026-10-02 03:10"))
    html = LINE.render(Context({"ticket": night}))
    assert 'data-testid="on-duty"' in html
    assert (engineer.get_full_name() or engineer.username) in html
    day = SimpleNamespace(contract=s.contract, reported_at=at("2026-10-02 09:00"))
    assert "on-duty" not in LINE.render(Context({"ticket": day}))
