"""Sign-in attempts and lockouts (PLT-04)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["LockKind", "Lockout", "LoginAttempt"]


class LockKind(models.TextChoices):
    ACCOUNT = "account", _("Account")
    ADDRESS = "address", _("Client address")


class LoginAttempt(models.Model):
    """One sign-in attempt through the login page, successful or not (login history)."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="login_attempts")
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client_ip", "at"], name="security_attempt_ip_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.client_ip} {self.at:%Y-%m-%d %H:%M}"


class Lockout(models.Model):
    """An account or a client address refused after repeated failed sign-ins, until
    ``locked_until`` passes (None: until an administrator unlocks it) or it is released."""

    kind = models.CharField(_("kind"), max_length=10, choices=LockKind.choices)
    key = models.CharField(_("account or address"), max_length=150, db_index=True)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    released_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("unlocked by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("lockout")
        verbose_name_plural = _("lockouts")
        ordering = ["-locked_at", "-pk"]
        permissions = [("unlock_lockout", "Can unlock accounts and addresses")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class TotpDevice(models.Model):
    """A user's authenticator (RFC 6238). The secret is kept encrypted (SM4-GCM by default,
    :func:`weibao.core.crypto.encrypt`); ``last_step`` stops a code from being used twice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, related_name="totp_device")
    secret = models.TextField(_("secret (encrypted)"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last time step used"), default=-1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return str(self.user)


class AuditChainHead(models.Model):
    """The one row locked while an audit entry is sealed: writers queue on it, so the chain
    never forks (PostgreSQL ``SELECT … FOR UPDATE``; SQLite's IMMEDIATE transactions)."""

    digest = models.CharField(_("last digest"), max_length=128, blank=True)
    count = models.PositiveBigIntegerField(_("sealed entries"), default=0)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.count} {self.digest[:12]}"


class AuditSeal(models.Model):
    """One django-auditlog entry chained to the one sealed before it (PLT-03): ``digest`` is
    the SM3 digest of the previous seal's digest and the entry's content."""

    entry_id = models.BigIntegerField(_("audit entry"), unique=True)
    digest = models.CharField(_("digest"), max_length=128)
    previous = models.CharField(_("previous digest"), max_length=128, blank=True)
    algorithm = models.CharField(_("algorithm"), max_length=10, default="sm3")

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.digest[:12]}"


class PasswordState(models.Model):
    """When a user's password was last set, and whether they must change it (set by someone
    else: an administrator created the account or reset the password)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, primary_key=True,
                                related_name="password_state")
    must_change = models.BooleanField(_("must change the password"), default=False)
    changed_at = models.DateTimeField(_("password set at"), null=True, blank=True)

    class Meta:
        verbose_name = _("password state")
        verbose_name_plural = _("password states")

    def __str__(self) -> str:
        return str(self.user_id)


class PasswordHistory(models.Model):
    """The hashes of a user's last passwords (``WEIBAO_PASSWORD_HISTORY``): not to be reused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="+")
    password = models.CharField(_("password hash"), max_length=128)
    at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d}"


class DocumentSignature(models.Model):
    """The installation's SM2 signature of one version of a signed document (PLT-03, PLT-05):
    a maintenance sheet, a fault report's PDF or a final assessment. Written in the document's
    own transaction; ``weibao audit documents`` recomputes each document's digest from its
    content and checks it against this row."""

    kind = models.CharField(_("document kind"), max_length=40)
    object_id = models.CharField(_("document"), max_length=40)
    digest_algorithm = models.CharField(_("digest algorithm"), max_length=20)
    digest = models.CharField(_("digest"), max_length=128)
    algorithm = models.CharField(_("signature algorithm"), max_length=10, default="sm2")
    public_key = models.CharField(_("public key"), max_length=200)
    signature = models.CharField(_("signature"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document signature")
        verbose_name_plural = _("document signatures")
        ordering = ["kind", "object_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "digest"],
                                               name="document_signature_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.digest[:12]}"
