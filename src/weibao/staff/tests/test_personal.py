"""Personal data and papers (STF-02, STF-03, PLT-02): ID numbers and phones validated,
encrypted at rest, shown in full only to the purchaser, the member's own organisation and the
member, masked for everyone else; papers against the spec's requirements (seed 001: the
confidentiality commitment within 15 working days of arrival; seed 000: social insurance
within 6 months)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from weibao.staff.choices import DocumentKind, Education
from weibao.staff.demo import demo_id_number
from weibao.staff.models import Member, PersonalData, RequiredDocument
from weibao.staff.selectors import due_days
from weibao.staff.services import add_member
from weibao.staff.services import personal as services
from weibao.testing.examples import Setup, example_setup
from weibao.testing.factories import UserFactory

ID = "11010519491231002X"  # the GB 11643 example number


@pytest.fixture
def onsite(db: object) -> Setup:
    return example_setup("001-changzhou-hrss-onsite.yaml", "pd")


def _member(s: Setup, user: object = None) -> Member:
    return add_member(s.contract, "王驻场", starts_on=datetime.date(2024, 9, 30), resident=True,
                      user=user)  # type: ignore[arg-type]


def test_plt02_id_numbers_are_checked_with_their_check_character() -> None:
    assert services.valid_id_number(ID)
    assert not services.valid_id_number("110105194912310021")
    assert not services.valid_id_number("11010519491231002")
    assert services.valid_id_number(demo_id_number(7))
    assert services.mask_id_number(ID) == "1101**********002X"
    assert services.mask_phone("13812345678") == "138****5678"


def test_stf02_bad_input_is_refused_with_a_message_and_nothing_saved(onsite: Setup) -> None:
    member = _member(onsite)
    with pytest.raises(ValidationError) as caught:
        services.set_personal_data(member, onsite.people["manager"],
                                   id_number="110105194912310021", phone="12345",
                                   years_experience=99)
    assert set(caught.value.message_dict) == {"id_number", "phone", "years_experience"}
    assert not PersonalData.objects.filter(member=member).exists()


def test_plt02_personal_data_is_encrypted_and_masked_per_role(onsite: Setup) -> None:
    engineer = onsite.people["engineer"]
    member = _member(onsite, user=engineer)
    services.set_personal_data(member, onsite.people["manager"], id_number=ID,
                               phone="138 1234 5678", education=Education.BACHELOR)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM staff_personaldata WHERE member_id = %s",
                       [member.pk])
        raw = cursor.fetchone()
    assert ID not in raw[0] and "13812345678" not in raw[1]
    colleague = UserFactory(username="pd-colleague", organisation=engineer.organisation,
                            role=engineer.role)
    visible = {"purchaser": True, "manager": True, "outsider": False}
    for role, full in visible.items():
        assert services.may_see_personal(onsite.people[role], member) is full, role
    assert services.may_see_personal(engineer, member)  # the member themselves
    assert not services.may_see_personal(colleague, member)  # an engineer colleague
    with pytest.raises(PermissionDenied):
        services.set_personal_data(member, engineer, phone="13800000000")


@pytest.mark.parametrize(("role", "shows_full"), [("purchaser", True), ("manager", True)])
def test_plt02_the_member_page_shows_full_data_to_who_needs_it(onsite: Setup, client: Client,
                                                               role: str, shows_full: bool):
    member = _member(onsite)
    services.set_personal_data(member, onsite.people["manager"], id_number=ID,
                               phone="13812345678")
    client.force_login(onsite.people[role])
    body = client.get(reverse("staff:member", args=[member.pk])).content.decode()
    assert (ID in body) is shows_full and ("13812345678" in body) is shows_full


def test_plt02_an_engineer_colleague_sees_them_masked_and_no_paper(onsite: Setup,
                                                                    client: Client) -> None:
    member = _member(onsite)
    services.set_personal_data(member, onsite.people["manager"], id_number=ID,
                               phone="13812345678")
    paper = services.add_document(member, onsite.people["manager"],
                                  kind=DocumentKind.NO_CRIMINAL_RECORD,
                                  upload=SimpleUploadedFile("证明.pdf", b"%PDF-1.4"),
                                  signed_on=datetime.date(2024, 9, 20))
    client.force_login(onsite.people["engineer"])
    body = client.get(reverse("staff:member", args=[member.pk])).content.decode()
    assert "1101**********002X" in body and "138****5678" in body and ID not in body
    assert reverse("staff:document", args=[paper.pk]) not in body
    assert client.get(reverse("staff:document", args=[paper.pk])).status_code == 404
    roster = client.get(reverse("staff:roster") + f"?contract={onsite.contract.pk}")
    assert "138****5678" in roster.content.decode()
    client.force_login(onsite.people["purchaser"])
    response = client.get(reverse("staff:document", args=[paper.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"


def test_stf03_seed_001_commitment_within_15_working_days_of_arrival(onsite: Setup) -> None:
    """Arrival Monday 2024-09-30 (not counted): the 国庆 holiday does not count and the
    Saturday 10-12 (调休) does, so the 15th working day is Friday 2024-10-25 (10-08..10-12,
    10-14..10-18, 10-21..10-25)."""
    member = _member(onsite)
    required = list(RequiredDocument.objects.filter(contract=onsite.contract))
    assert {r.kind for r in required} == {DocumentKind.CONFIDENTIALITY,
                                          DocumentKind.NO_CRIMINAL_RECORD}
    due = due_days(member, required)
    commitment = next(r for r in required if r.kind == DocumentKind.CONFIDENTIALITY)
    assert due[commitment.pk] == datetime.date(2024, 10, 25)
    member = Member.objects.prefetch_related("documents").get(pk=member.pk)
    states = {s.required.kind: s for s in services.document_states(
        member, required, datetime.date(2024, 10, 28), due)}
    assert states[DocumentKind.CONFIDENTIALITY].overdue
    assert not states[DocumentKind.NO_CRIMINAL_RECORD].overdue  # no deadline in the seed
    services.add_document(member, onsite.people["manager"], kind=DocumentKind.CONFIDENTIALITY,
                          upload=SimpleUploadedFile("承诺书.pdf", b"%PDF-1.4"),
                          signed_on=datetime.date(2024, 10, 28))
    member = Member.objects.prefetch_related("documents").get(pk=member.pk)
    state = next(s for s in services.document_states(member, required,
                                                     datetime.date(2024, 10, 29), due)
                 if s.required.kind == DocumentKind.CONFIDENTIALITY)
    assert state.ok and state.late and not state.overdue


@pytest.mark.django_db
def test_stf02_seed_000_social_insurance_within_the_last_6_months() -> None:
    s = example_setup("000-shanghai-sbk-outlets.yaml", "si")
    member = add_member(s.contract, "网点工程师", starts_on=datetime.date(2025, 1, 1))
    required = list(RequiredDocument.objects.filter(contract=s.contract))
    assert [(r.kind, r.within_months) for r in required] == [
        (DocumentKind.SOCIAL_INSURANCE, 6)]
    with pytest.raises(ValidationError, match="month"):
        services.add_document(member, s.people["manager"], kind=DocumentKind.SOCIAL_INSURANCE,
                              upload=SimpleUploadedFile("社保.pdf", b"%PDF"),
                              signed_on=datetime.date(2025, 3, 5))
    services.add_document(member, s.people["manager"], kind=DocumentKind.SOCIAL_INSURANCE,
                          upload=SimpleUploadedFile("社保.pdf", b"%PDF"),
                          signed_on=datetime.date(2025, 3, 5),
                          covers_month=datetime.date(2025, 2, 17))
    member = Member.objects.prefetch_related("documents").get(pk=member.pk)
    on = {day: services.document_states(member, required, day, {})[0].ok
          for day in (datetime.date(2025, 8, 31), datetime.date(2025, 9, 1))}
    assert on == {datetime.date(2025, 8, 31): True, datetime.date(2025, 9, 1): False}
