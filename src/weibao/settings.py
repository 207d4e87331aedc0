"""Django settings for weibao, read from environment variables (see ``.env.example``)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from weibao.conf.env import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_path,
    env_str,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("WEIBAO_DATA_DIR", Path.cwd() / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env_str("WEIBAO_SECRET_KEY")
    if configured:
        return configured
    # One random key per installation, kept beside the data so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("WEIBAO_DEBUG", False)
ALLOWED_HOSTS = env_list("WEIBAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("WEIBAO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "auditlog",
    "huey.contrib.djhuey",
    "weibao.core",
    "weibao.contracts",
    "weibao.calendars",
    "weibao.sla",
    "weibao.sites",
    "weibao.assets",
    "weibao.spares",
    "weibao.imports",
    "weibao.tickets",
    "weibao.maintenance",
    "weibao.reports",
    "weibao.assessment",
    "weibao.staff",
    "weibao.emergency",
    "weibao.security",
    "weibao.notifications",
]

MIDDLEWARE = [
    "weibao.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "weibao.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weibao.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "weibao.security.middleware.SessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "weibao.core.middleware.AuditMiddleware",  # django-auditlog's, with the trusted client address
    "weibao.core.middleware.AdminNetworkMiddleware",
]

ROOT_URLCONF = "weibao.urls"
WSGI_APPLICATION = "weibao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "weibao.core.context_processors.navigation",
                "weibao.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: SQLite (WAL) under the data directory unless DATABASE_URL names PostgreSQL.
_db = parse_database_url(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'weibao.sqlite3'}"))
if _db.engine.endswith("sqlite3"):
    DATABASES: dict[str, dict[str, object]] = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "CONN_MAX_AGE": env_int("WEIBAO_DB_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            # Parameters bound by the server, and statements a connection runs often (every
            # ticket creation's) prepared once: PostgreSQL then skips parsing and planning.
            # Turn off behind a pooler in transaction mode (PgBouncer), which cannot keep
            # prepared statements.
            "OPTIONS": ({"server_side_binding": True, "prepare_threshold": 5}
                        if env_bool("WEIBAO_DB_PREPARED", True) else {}),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["weibao.core.permissions.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("WEIBAO_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "weibao.security.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("WEIBAO_PASSWORD_MIN_CLASSES", 3, minimum=1)},
    },
    {"NAME": "weibao.security.validators.NotUsernameValidator"},
    {"NAME": "weibao.security.passwords.HistoryValidator"},
]
SESSION_COOKIE_AGE = env_int("WEIBAO_SESSION_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("WEIBAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Accounts and headers (PLT-04, PLT-08; weibao.security, docs/security.md).
WEIBAO_SESSION_ABSOLUTE_HOURS = env_int("WEIBAO_SESSION_ABSOLUTE_HOURS", 12, minimum=0)
WEIBAO_LOCKOUT_THRESHOLD = env_int("WEIBAO_LOCKOUT_THRESHOLD", 5, minimum=0)
WEIBAO_LOCKOUT_ADDRESS_THRESHOLD = env_int("WEIBAO_LOCKOUT_ADDRESS_THRESHOLD", 20, minimum=0)
WEIBAO_LOCKOUT_MINUTES = env_int("WEIBAO_LOCKOUT_MINUTES", 15, minimum=0)
WEIBAO_PASSWORD_HISTORY = env_int("WEIBAO_PASSWORD_HISTORY", 5, minimum=0)
WEIBAO_PASSWORD_MAX_AGE_DAYS = env_int("WEIBAO_PASSWORD_MAX_AGE_DAYS", 0, minimum=0)
WEIBAO_REQUIRE_TOTP_FOR_ADMINS = env_bool("WEIBAO_REQUIRE_TOTP_FOR_ADMINS", False)
WEIBAO_HTTPS = env_bool("WEIBAO_HTTPS", False)
if WEIBAO_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("WEIBAO_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Internationalisation: Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("WEIBAO_MEDIA_ROOT", DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WEIBAO_MAX_UPLOAD_MB = env_int("WEIBAO_MAX_UPLOAD_MB", 20, minimum=1)
# AST-10 imports: most data rows per file, and files larger than this run in the background.
WEIBAO_IMPORT_MAX_ROWS = env_int("WEIBAO_IMPORT_MAX_ROWS", 50_000, minimum=1)
WEIBAO_IMPORT_INLINE_ROWS = env_int("WEIBAO_IMPORT_INLINE_ROWS", 500, minimum=0)
# Calendars and SLA policies are cached per process; their version stamp is read again at most
# this often (a change made in another process is seen within it).
WEIBAO_CACHE_RECHECK_SECONDS = env_int("WEIBAO_CACHE_RECHECK_SECONDS", 2, minimum=0)
# A vendor's ticket step claimed more than this many minutes before it was entered counts for
# the SLA only once the purchaser confirms it (until then the entry time counts).
WEIBAO_BACKDATE_TOLERANCE_MINUTES = env_int("WEIBAO_BACKDATE_TOLERANCE_MINUTES", 10, minimum=0)
# PM-02/PLT-05: the digest kept with each signed document (maintenance sheets): "sm3" (国密,
# the default) or "sha256".
WEIBAO_DIGEST_ALGORITHM = env_str("WEIBAO_DIGEST_ALGORITHM", "sm3")
if WEIBAO_DIGEST_ALGORITHM not in ("sm3", "sha256"):
    raise ImproperlyConfigured(
        f"WEIBAO_DIGEST_ALGORITHM must be sm3 or sha256, not {WEIBAO_DIGEST_ALGORITHM!r}")
# Secrets and personal data at rest (PLT-02/05): SM4-GCM (national standard) or AES-GCM, with a
# 128-bit key (32 hex digits; derived from SECRET_KEY when unset) and older keys still readable.
WEIBAO_CIPHER = env_str("WEIBAO_CIPHER", "sm4")
if WEIBAO_CIPHER not in ("sm4", "aes"):
    raise ImproperlyConfigured(f"WEIBAO_CIPHER must be sm4 or aes, not {WEIBAO_CIPHER!r}")
WEIBAO_ENCRYPTION_KEY = env_str("WEIBAO_ENCRYPTION_KEY")
WEIBAO_ENCRYPTION_OLD_KEYS = env_list("WEIBAO_ENCRYPTION_OLD_KEYS")
# The installation's SM2 signing key pair, generated on first use.
WEIBAO_SM2_KEY_FILE = env_str("WEIBAO_SM2_KEY_FILE", str(DATA_DIR / "sm2-signing.key"))
# Inspections (PM-*): visits are generated this many days ahead of their window.
WEIBAO_VISIT_HORIZON_DAYS = env_int("WEIBAO_VISIT_HORIZON_DAYS", 35, minimum=1)
# Deliverables (RPT-*): submissions are created this many days before they fall due, and a
# reminder is recorded this many working days before the due day.
WEIBAO_REPORT_HORIZON_DAYS = env_int("WEIBAO_REPORT_HORIZON_DAYS", 40, minimum=1)
WEIBAO_REPORT_REMINDER_WORKING_DAYS = env_int("WEIBAO_REPORT_REMINDER_WORKING_DAYS", 2,
                                              minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# PLT-08: the back office (/admin/ and /manage/) answers only to clients on these networks
# (default: loopback and private).
WEIBAO_ADMIN_NETWORKS = env_networks(
    "WEIBAO_ADMIN_NETWORKS",
    ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
)
# PLT-03/PLT-08: the reverse proxies whose X-Forwarded-For is believed (addresses or CIDR
# networks); empty: no proxy is trusted and REMOTE_ADDR is the client (core/middleware.py).
WEIBAO_TRUSTED_PROXIES = env_networks("WEIBAO_TRUSTED_PROXIES", [])

# Background jobs: huey on SQLite by default; Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
HUEY: dict[str, object] = {
    "name": "weibao",
    "immediate": env_bool("WEIBAO_HUEY_IMMEDIATE", False),
    "consumer": {"workers": env_int("WEIBAO_WORKERS", 2, minimum=1), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Cached figures (the contract cockpit): Redis when REDIS_URL is set, else in process memory.
CACHES: dict[str, dict[str, object]] = {
    "default": ({"BACKEND": "django.core.cache.backends.redis.RedisCache",
                 "LOCATION": REDIS_URL, "KEY_PREFIX": "weibao"} if REDIS_URL else
                {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}),
}

# Notifications (weibao.notifications): e-mail through this SMTP server; links in messages are
# made absolute with WEIBAO_BASE_URL; a failing delivery is retried with back-off, then
# dead-lettered after WEIBAO_NOTIFY_MAX_ATTEMPTS attempts.
EMAIL_HOST = env_str("WEIBAO_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("WEIBAO_SMTP_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("WEIBAO_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("WEIBAO_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("WEIBAO_SMTP_STARTTLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("WEIBAO_MAIL_FROM", "weibao@localhost")
WEIBAO_BASE_URL = env_str("WEIBAO_BASE_URL")
WEIBAO_NOTIFY_MAX_ATTEMPTS = env_int("WEIBAO_NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
WEIBAO_NOTIFY_EMAIL_PER_MINUTE = env_int("WEIBAO_NOTIFY_EMAIL_PER_MINUTE", 120, minimum=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "weibao.core.api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["weibao.core.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "weibao.core.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "weibao.core.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "weibao API",
    "DESCRIPTION": "REST API of weibao (维保). Errors: {message, code, errors: {field: [..]}}.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One component name per choice set (the class name), instead of drf-spectacular's
    # hashed names when two serializers have a field of the same name (status, kind, …).
    "ENUM_NAME_OVERRIDES": {
        "AssetCategoryEnum": "weibao.assets.choices.AssetCategory",
        "AttributeKindEnum": "weibao.assets.choices.AttributeKind",
        "AssetStatusEnum": "weibao.assets.choices.AssetStatus",
        "WarrantyStateEnum": "weibao.assets.choices.WarrantyState",
        "ImportanceEnum": "weibao.assets.choices.Importance",
        "RelationKindEnum": "weibao.assets.choices.RelationKind",
        "EventKindEnum": "weibao.assets.choices.EventKind",
        "CertificateKindEnum": "weibao.assets.choices.CertificateKind",
        "CertificateStateEnum": "weibao.assets.choices.CertificateState",
        "VerificationResultEnum": "weibao.assets.choices.VerificationResult",
        "DayTypeEnum": "weibao.calendars.choices.DayType",
        "YearStatusEnum": "weibao.calendars.choices.YearStatus",
        "CalendarKindEnum": "weibao.calendars.choices.CalendarKind",
        "GridDayEnum": "weibao.calendars.choices.GridDay",
        "ContractStatusEnum": "weibao.contracts.choices.ContractStatus",
        "PartyRoleEnum": "weibao.contracts.choices.PartyRole",
        "DocumentTypeEnum": "weibao.contracts.choices.DocumentType",
        "MilestoneTriggerEnum": "weibao.contracts.choices.MilestoneTrigger",
        "AmountBasisEnum": "weibao.contracts.choices.AmountBasis",
        "ContractEventKindEnum": "weibao.contracts.choices.ContractEventKind",
        "EventSourceEnum": "weibao.contracts.choices.EventSource",
        "TriggerEventEnum": "weibao.contracts.choices.TriggerEvent",
        "OffsetUnitEnum": "weibao.contracts.choices.OffsetUnit",
        "BondStatusEnum": "weibao.contracts.choices.BondStatus",
        "OrganisationKindEnum": "weibao.core.choices.OrganisationKind",
        "RoleEnum": "weibao.core.choices.Role",
        "ImportStatusEnum": "weibao.imports.choices.ImportStatus",
        "ImportModeEnum": "weibao.imports.choices.ImportMode",
        "FrequencyEnum": "weibao.maintenance.choices.Frequency",
        "DayRuleEnum": "weibao.maintenance.choices.DayRule",
        "PlanScopeEnum": "weibao.maintenance.choices.PlanScope",
        "ItemKindEnum": "weibao.maintenance.choices.ItemKind",
        "SignatureRuleEnum": "weibao.maintenance.choices.SignatureRule",
        "VisitStatusEnum": "weibao.maintenance.choices.VisitStatus",
        "CadenceEnum": "weibao.reports.choices.Cadence",
        "CoversEnum": "weibao.reports.choices.Covers",
        "DelayUnitEnum": "weibao.reports.choices.DelayUnit",
        "TriggerKindEnum": "weibao.reports.choices.TriggerKind",
        "SubmissionStatusEnum": "weibao.reports.choices.SubmissionStatus",
        "SubmissionActionEnum": "weibao.reports.choices.SubmissionAction",
        "ReportFormatEnum": "weibao.reports.choices.ReportFormat",
        "FileOriginEnum": "weibao.reports.choices.FileOrigin",
        "JobStatusEnum": "weibao.reports.choices.JobStatus",
        "MethodEnum": "weibao.assessment.choices.Method",
        "MetricEnum": "weibao.assessment.choices.Metric",
        "ScoringEnum": "weibao.assessment.choices.Scoring",
        "ComparisonEnum": "weibao.assessment.choices.Comparison",
        "BreachSourceEnum": "weibao.assessment.choices.BreachSource",
        "BreachStatusEnum": "weibao.assessment.choices.BreachStatus",
        "AssessmentStatusEnum": "weibao.assessment.choices.AssessmentStatus",
        "LineStatusEnum": "weibao.assessment.choices.LineStatus",
        "SiteStatusEnum": "weibao.sites.choices.SiteStatus",
        "TimeUnitEnum": "weibao.sla.choices.TimeUnit",
        "ClockEventEnum": "weibao.sla.choices.ClockEvent",
        "AttributeEnum": "weibao.sla.choices.Attribute",
        "FaultScopeEnum": "weibao.sla.choices.FaultScope",
        "TimeWindowEnum": "weibao.sla.choices.TimeWindow",
        "DueUnitEnum": "weibao.sla.choices.DueUnit",
        "StageStatusEnum": "weibao.sla.choices.StageStatus",
        "ConditionEnum": "weibao.spares.choices.Condition",
        "MovementKindEnum": "weibao.spares.choices.MovementKind",
        "ReferenceKindEnum": "weibao.spares.choices.ReferenceKind",
        "ComplianceStatusEnum": "weibao.spares.choices.ComplianceStatus",
        "TicketStateEnum": "weibao.tickets.choices.TicketState",
        "ChannelEnum": "weibao.tickets.choices.Channel",
        "TicketCategoryEnum": "weibao.tickets.choices.TicketCategory",
        "PriorityEnum": "weibao.tickets.choices.Priority",
        "DrillSystemsEnum": "weibao.emergency.choices.DrillSystems",
        "DrillTermEnum": "weibao.emergency.choices.Term",
        "DrillStatusEnum": "weibao.emergency.choices.DrillStatus",
        "IncidentPhaseEnum": "weibao.emergency.choices.IncidentPhase",
        "DisposalPlanStatusEnum": "weibao.emergency.choices.DisposalPlanStatus",
        "PeriodKindEnum": "weibao.emergency.choices.PeriodKind",
        "AttendanceStatusEnum": "weibao.staff.choices.AttendanceStatus",
        "CorrectionStatusEnum": "weibao.staff.choices.CorrectionStatus",
        "PersonnelChangeStatusEnum": "weibao.staff.choices.ChangeStatus",
        "AlertKindEnum": "weibao.tickets.choices.AlertKind",
        "ClaimStatusEnum": "weibao.tickets.choices.ClaimStatus",
        "ReportStatusEnum": "weibao.tickets.choices.ReportStatus",
        "ChangeDecisionEnum": "weibao.tickets.choices.ChangeDecision",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("WEIBAO_LOG_LEVEL", "INFO")},
}
