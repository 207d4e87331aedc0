"""Personal data encrypted at rest (PLT-02): phones of users and ticket reporters are unreadable
in raw SQL and readable through weibao; ``weibao rekey`` moves them to a new key and encrypts
values stored in plain text before the column was encrypted."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from weibao.core.crypto import current_key_id, key_id_of
from weibao.core.fields import EncryptedCharField, encrypted_columns
from weibao.core.models import User

OLD = "00112233445566778899aabbccddeeff"
NEW = "fedcba98765432100123456789abcdef"


def _raw_phone(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_user WHERE id = %s", [user.pk])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_plt02_phone_is_unreadable_in_raw_sql_and_readable_through_weibao(settings):
    settings.WEIBAO_ENCRYPTION_KEY = OLD
    user = User.objects.create(username="li", phone="13812345678")
    stored = _raw_phone(user)
    assert "13812345678" not in stored and stored.startswith("enc1:sm4:")
    assert User.objects.get(pk=user.pk).phone == "13812345678"
    assert User.objects.get(pk=user.pk).masked_phone == "138****5678"
    # the same number twice encrypts differently (random nonce): no equality leak
    other = User.objects.create(username="wang", phone="13812345678")
    assert _raw_phone(other) != stored


@pytest.mark.django_db
def test_plt02_rekey_moves_values_to_the_new_key_and_encrypts_plain_ones(settings):
    settings.WEIBAO_ENCRYPTION_KEY = OLD
    user = User.objects.create(username="li", phone="13812345678")
    legacy = User.objects.create(username="zhao")
    with connection.cursor() as cursor:  # a value stored before the column was encrypted
        cursor.execute("UPDATE core_user SET phone = %s WHERE id = %s", ["13900001111", legacy.pk])
    assert User.objects.get(pk=legacy.pk).phone == "13900001111"
    settings.WEIBAO_ENCRYPTION_KEY = NEW
    settings.WEIBAO_ENCRYPTION_OLD_KEYS = [OLD]
    assert User.objects.get(pk=user.pk).phone == "13812345678"  # still readable by the old key
    with pytest.raises(SystemExit):
        call_command("rekey", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rekey", stdout=out)
    assert "core.User.phone: 2 re-encrypted" in out.getvalue()
    assert key_id_of(_raw_phone(user)) == key_id_of(_raw_phone(legacy)) == current_key_id()
    settings.WEIBAO_ENCRYPTION_OLD_KEYS = []  # the old key can now be retired
    assert User.objects.get(pk=user.pk).phone == "13812345678"
    assert User.objects.get(pk=legacy.pk).phone == "13900001111"
    call_command("rekey", "--check", stdout=io.StringIO())  # nothing left to do


def test_plt02_the_encrypted_columns_include_phones_and_authenticator_secrets():
    columns = {(model._meta.label, name) for model, name, _ in encrypted_columns()}
    assert {("core.User", "phone"), ("tickets.Ticket", "reporter_phone"),
            ("security.TotpDevice", "secret"), ("notifications.Channel", "address"),
            ("notifications.Channel", "secret")} <= columns


def test_plt02_plain_text_length_is_validated_not_the_ciphertext():
    field = EncryptedCharField(max_length=5)
    field.clean("12345", None)
    with pytest.raises(Exception, match="5"):
        field.clean("123456", None)


@pytest.mark.django_db
def test_plt02_a_dump_holds_the_encrypted_value_and_loads_back():
    from django.core import serializers

    user = User.objects.create(username="li", phone="13812345678")
    dumped = serializers.serialize("json", [user])
    assert "13812345678" not in dumped and "enc1:" in dumped
    User.objects.all().delete()
    for obj in serializers.deserialize("json", dumped):
        obj.save()
    assert User.objects.get(username="li").phone == "13812345678"


@pytest.mark.django_db
def test_plt02_the_audit_log_keeps_phones_masked():
    from auditlog.models import LogEntry

    user = User.objects.create(username="li", phone="13812345678")
    user.phone = "13987654321"
    user.save()
    entries = " ".join(str(e.changes) for e in LogEntry.objects.get_for_object(user))
    assert "13812345678" not in entries and "13987654321" not in entries
    assert "5678" in entries or "4321" in entries  # masked, not dropped: the change is visible
