"""The tamper-evident audit log (PLT-03): a raw SQL change is found by ``weibao audit verify``."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from weibao.core.choices import Role
from weibao.core.models import Organisation
from weibao.security.audit_chain import verify_chain
from weibao.security.models import AuditChainHead, AuditSeal
from weibao.testing.factories import OrganisationFactory, UserFactory
from weibao.testing.i18n import english_ui  # noqa: F401  (autouse: messages in English)

pytestmark = pytest.mark.django_db


def _entries(n: int) -> list[LogEntry]:
    org = OrganisationFactory()
    for i in range(n):
        Organisation.objects.filter(pk=org.pk).first().save()  # type: ignore[union-attr]
        org.name = f"单位{i}"
        org.save()
    return list(LogEntry.objects.order_by("pk"))


def test_plt03_every_entry_is_sealed_in_order() -> None:
    entries = _entries(3)
    assert entries
    seals = list(AuditSeal.objects.order_by("pk"))
    assert [s.entry_id for s in seals][-len(entries):] == [e.pk for e in entries]
    for before, after in itertools.pairwise(seals):
        assert after.previous == before.digest
    head = AuditChainHead.objects.get(pk=1)
    assert head.digest == seals[-1].digest and head.count == len(seals)
    assert len(seals[0].digest) == 64  # SM3
    report = verify_chain()
    assert report.intact and report.checked == len(seals)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


def test_plt03_raw_sql_update_of_an_entry_is_detected() -> None:
    entries = _entries(4)
    target = entries[len(entries) // 2]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auditlog_logentry SET object_repr = %s WHERE id = %s",
                       ["篡改", target.pk])
    report = verify_chain()
    assert report.broken_at == target.pk and "changed" in report.reason
    with pytest.raises(CommandError, match=f"BROKEN at audit entry {target.pk}"):
        call_command("audit", "verify")


def test_plt03_deleted_entry_removed_seal_and_unsealed_insert_are_detected() -> None:
    entries = _entries(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [entries[1].pk])
    assert verify_chain().broken_at == entries[1].pk
    with connection.cursor() as cursor:  # hide the deletion by removing its seal too
        cursor.execute("DELETE FROM security_auditseal WHERE entry_id = %s", [entries[1].pk])
    assert verify_chain().broken_at == entries[2].pk
    AuditSeal.objects.all().delete()
    AuditChainHead.objects.filter(pk=1).update(digest="", count=0)
    report = verify_chain()
    assert report.unsealed and not report.intact


def test_plt03_truncated_tail_is_detected() -> None:
    _entries(2)
    last = AuditSeal.objects.order_by("-pk").first()
    assert last is not None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_auditseal WHERE id = %s", [last.pk])
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [last.entry_id])
    assert verify_chain().broken_at == -1


def test_plt03_audit_page_permissions(client: Client) -> None:
    _entries(1)
    for role in Role.values:
        client.force_login(UserFactory(role=role))
        status = client.get(reverse("security:audit")).status_code
        assert status == (200 if role == Role.ADMINISTRATOR else 403)
    page = client.get(reverse("security:audit"))
    assert b'data-testid="audit-intact"' in page.content
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auditlog_logentry SET changes_text = 'x' WHERE id = %s",
                       [LogEntry.objects.order_by("pk").first().pk])  # type: ignore[union-attr]
    assert b'data-testid="audit-broken"' in client.get(reverse("security:audit")).content
