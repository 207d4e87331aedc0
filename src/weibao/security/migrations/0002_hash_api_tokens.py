"""Tokens issued before weibao.security are hashed in place: their holders keep using the
plain key, the database no longer holds it (PLT-04)."""

from django.db import migrations


def hash_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from weibao.security.tokens import hash_token

    Token = apps.get_model("authtoken", "Token")
    for key in list(Token.objects.values_list("key", flat=True)):
        Token.objects.filter(key=key).update(key=hash_token(key))


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(hash_existing, migrations.RunPython.noop)]
