"""Model fields of personal data encrypted at rest (PLT-02).

:class:`EncryptedCharField` keeps a short text (a phone number, an ID number) encrypted in the
database with :func:`weibao.core.crypto.encrypt` (SM4-GCM by default, ``WEIBAO_CIPHER``), bound
to its column (``<app>.<model>.<field>``) so a value copied into another column does not
decrypt. Python code and forms see the plain text; a raw ``SELECT`` sees ``enc1:sm4:…``.

Encrypted values cannot be searched or sorted by the database; such fields are for data shown
and edited, never filtered on. Values written before the column was encrypted (plain text) are
read as they are until ``weibao rekey`` (or the field's data migration) encrypts them;
``weibao rekey`` also re-encrypts values of an older key after ``WEIBAO_ENCRYPTION_KEY``
changed (the old key stays in ``WEIBAO_ENCRYPTION_OLD_KEYS`` until then).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.core import validators
from django.db import models

from weibao.core.crypto import current_key_id, decrypt, encrypt, is_encrypted, key_id_of

__all__ = ["EncryptedCharField", "decrypt_existing", "encrypt_existing", "encrypted_columns",
           "needs_rekey", "register_encrypted_column"]


class EncryptedCharField(models.TextField):
    """A short text stored encrypted; ``max_length`` limits the plain text."""

    def __init__(self, *args: Any, max_length: int = 40, **kwargs: Any) -> None:
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(validators.MaxLengthValidator(max_length))

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or not is_encrypted(value):
            return value
        return decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or is_encrypted(str(value)):
            return value
        return encrypt(str(value), context=self.context)

    def value_to_string(self, obj: models.Model) -> str:
        """Serialised (``dumpdata``, ``weibao backup``) encrypted: a dump holds no plain
        personal data; loading it needs the same key."""
        value = self.value_from_object(obj)
        return self.get_prep_value(value) or ""

    def formfield(self, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {"form_class": forms.CharField,
                                    "max_length": self.plain_max_length,
                                    "widget": forms.TextInput}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


_OTHER_COLUMNS: list[tuple[str, str, str]] = []


def register_encrypted_column(model_label: str, field_name: str, context: str) -> None:
    """Declare a text column an app encrypts itself with :func:`encrypt` (``context`` as it
    passes it), so that ``weibao rekey`` re-encrypts it too."""
    entry = (model_label, field_name, context)
    if entry not in _OTHER_COLUMNS:
        _OTHER_COLUMNS.append(entry)


def encrypted_columns() -> Iterator[tuple[type[models.Model], str, str]]:
    """Every encrypted column of the installed apps: (model, field name, context)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                yield model, field.name, field.context
    for label, name, context in _OTHER_COLUMNS:
        yield apps.get_model(label), name, context


def needs_rekey(stored: str | None) -> bool:
    """Whether a stored value is plain text or encrypted with a key other than the current."""
    if not stored:
        return False
    return not is_encrypted(stored) or key_id_of(stored) != current_key_id()


def encrypt_existing(app_label: str, model_name: str, field_name: str) -> Any:
    """A ``RunPython`` step of the migration that makes a column encrypted: the plain values
    already stored are written back through the field, i.e. encrypted."""
    def forwards(state_apps: Any, schema_editor: Any) -> None:
        model = state_apps.get_model(app_label, model_name)
        rows = model.objects.exclude(**{field_name: ""}).exclude(**{f"{field_name}__isnull": True})
        for pk, value in rows.values_list("pk", field_name).iterator():
            if not is_encrypted(value):
                model.objects.filter(pk=pk).update(**{field_name: value})
    return forwards


def decrypt_existing(app_label: str, model_name: str, field_name: str) -> Any:
    """The reverse of :func:`encrypt_existing`: the values written back in plain text."""
    def backwards(state_apps: Any, schema_editor: Any) -> None:
        model = state_apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        quote = schema_editor.quote_name
        sql = (f"UPDATE {quote(model._meta.db_table)} SET {quote(field.column)} = %s "  # noqa: S608
               f"WHERE {quote(model._meta.pk.column)} = %s")
        rows = model.objects.exclude(**{field_name: ""}).exclude(**{f"{field_name}__isnull": True})
        for pk, value in rows.values_list("pk", field_name).iterator():
            schema_editor.execute(sql, [value, pk])
    return backwards
