"""Settings for the test suite: the real settings, with a throw-away data folder, immediate
background tasks and a fast password hasher. The database is still SQLite or PostgreSQL from
DATABASE_URL, exactly as in production."""

import os
import tempfile
import uuid
from pathlib import Path

os.environ.setdefault("WEIBAO_DATA_DIR", tempfile.mkdtemp(prefix="weibao-test-"))
os.environ["WEIBAO_HUEY_IMMEDIATE"] = "1"

from weibao.settings import *  # noqa: F403
from weibao.settings import DATA_DIR, HUEY

# Every test reads cache stamps afresh: a rolled-back test must not leave a process-local
# value behind for the next one (weibao.core.stamped; its own tests set an interval).
WEIBAO_CACHE_RECHECK_SECONDS = 0
# The cache (Redis when REDIS_URL is set) is shared by the parallel workers and by the SQLite
# and PostgreSQL runs, whose databases reuse the same ids: each test process keys its own.
CACHES = {"default": {**CACHES["default"],  # noqa: F405
                      "KEY_PREFIX": f"weibao-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(DATA_DIR) / "media"
HUEY = {**HUEY, "immediate": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
