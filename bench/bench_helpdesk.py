"""django-helpdesk 2.6.1 side by side with weibao's tickets.  A script, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/bench_helpdesk.py \
        [--tickets 10000] [--requests 200] [--seconds 10]

Only to learn from: nothing of django-helpdesk is imported into weibao. The script

1. creates its own virtualenv ``bench/.helpdesk-venv`` (git-ignored) and installs
   ``django-helpdesk==2.6.1`` with the Django release pip resolves for it, plus gunicorn and
   psycopg, from PyPI;
2. writes a minimal settings module and URLconf into a temporary folder (helpdesk's REST API
   on, teams mode off, e-mail to a dummy backend, token authentication);
3. uses the throw-away PostgreSQL database ``weibao_bench_helpdesk``: migrates it and creates
   ``--tickets`` tickets in one queue, each with the follow-up helpdesk writes when a ticket is
   opened;
4. measures the same two things as ``bench_tickets.py``: the ticket list API
   (``GET /api/tickets/``, 25 rows a page) p50/p95 and queries per request, in process with
   the Django test Client; and creation over HTTP (``POST /api/tickets/``, gunicorn with 2
   workers, 4 clients, token auth, ``--seconds``) — and prints the ratio against weibao's
   figures from ``bench/results/tickets.json`` when that file exists.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchargs import at_least, positive_seconds

HERE = Path(__file__).resolve().parent
VENV = HERE / ".helpdesk-venv"
BENCH_DB = "weibao_bench_helpdesk"
REQUIREMENTS = ["django-helpdesk==2.6.1", "psycopg[binary]>=3.1", "gunicorn"]
TIME_BUDGET_S = 90  # stop the list measurement early if one request takes seconds

SETTINGS = '''
import os
from urllib.parse import urlsplit

_db = urlsplit(os.environ["DATABASE_URL"])
SECRET_KEY = "bench-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "django.contrib.humanize", "rest_framework",
    "rest_framework.authtoken", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "hdbench_urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [],
              "APP_DIRS": True, "OPTIONS": {"context_processors": [
                  "django.template.context_processors.request",
                  "django.contrib.auth.context_processors.auth",
                  "django.contrib.messages.context_processors.messages"]}}]
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql", "NAME": _db.path.lstrip("/"),
    "USER": _db.username or "", "PASSWORD": _db.password or "",
    "HOST": _db.hostname or "", "PORT": str(_db.port or ""), "CONN_MAX_AGE": 60}}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
SITE_ID = 1
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
HELPDESK_TEAMS_MODE_ENABLED = False
HELPDESK_API_ENABLED = True
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": [
    "rest_framework.authentication.TokenAuthentication",
    "rest_framework.authentication.SessionAuthentication"]}
LOGGING = {"version": 1, "root": {"level": "WARNING"}}
'''

URLS = '''
from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls", namespace="helpdesk"))]
'''


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> None:
    if not venv_python().exists():
        print(f"creating {VENV} …", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    check = subprocess.run(
        [str(venv_python()), "-c", "import helpdesk, gunicorn, psycopg, django; "
         "from importlib.metadata import version; print(version('django-helpdesk'), "
         "django.get_version())"], capture_output=True, text=True)
    if check.returncode != 0 or not check.stdout.startswith("2.6.1 "):
        print("installing " + " ".join(REQUIREMENTS) + " …", flush=True)
        subprocess.check_call([str(venv_python()), "-m", "pip", "install", "-q",
                               *REQUIREMENTS])
        check = subprocess.run([str(venv_python()), "-c", "import django; print("
                                "'2.6.1', django.get_version())"],
                               capture_output=True, text=True, check=True)
    print(f"django-helpdesk {check.stdout.split()[0]} on Django {check.stdout.split()[1]}")


# --- child: runs inside the helpdesk virtualenv -------------------------------------------


def child(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from bench_tickets import create_over_http_generic, report, timed
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from helpdesk.models import FollowUp, Queue, Ticket
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench-admin", "bench@example.com",
                                                is_staff=True, is_superuser=True)
    token = Token.objects.create(user=user).key
    queue = Queue.objects.create(title="示例队列", slug="bench", allow_public_submission=True)
    rng = random.Random(5)
    now = timezone.now()
    started = time.perf_counter()
    tickets = Ticket.objects.bulk_create([
        Ticket(title=f"示例：读卡机无法读卡 {i}", queue=queue, description="演示数据",
               submitter_email="reporter@example.com", assigned_to=user if i % 2 else None,
               status=rng.choice([Ticket.OPEN_STATUS, Ticket.CLOSED_STATUS,
                                  Ticket.RESOLVED_STATUS]), priority=rng.randint(1, 5))
        for i in range(args.tickets)], batch_size=2000)
    FollowUp.objects.bulk_create([
        FollowUp(ticket=t, title="Ticket Opened", comment="演示数据", public=True, user=user,
                 date=now) for t in tickets], batch_size=2000)
    print(f"{Ticket.objects.count():,} helpdesk tickets with their opening follow-up written "
          f"in {time.perf_counter() - started:.0f} s", flush=True)

    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    pages = max(1, Ticket.objects.filter(status=Ticket.OPEN_STATUS).count() // 25)

    def listing() -> None:
        response = client.get("/api/tickets/", {"page": rng.randint(1, min(pages, 40)),
                                                "status": "1"})
        assert response.status_code == 200, response.content[:300]

    listing()
    first, _queries = timed(listing, 3)
    requests = args.requests
    if sum(first) / 3 * requests > TIME_BUDGET_S * 1000:
        requests = max(20, int(TIME_BUDGET_S * 1000 / (sum(first) / 3)))
        print(f"  (one list request takes {sum(first) / 3:.0f} ms: measuring {requests} "
              f"requests instead of {args.requests})")
    times, queries = timed(listing, requests)
    results: dict[str, Any] = {"tickets": args.tickets}
    results["list"] = report("helpdesk list API, status open, 25 rows", times, queries)

    def request(i: int, n: int) -> tuple[str, str, bytes, dict[str, str]]:
        body = {"queue": queue.pk, "title": f"示例：压测工单 {n}-{i}", "description": "演示",
                "submitter_email": "reporter@example.com", "priority": 3}
        return ("POST", "/api/tickets/", json.dumps(body).encode(),
                {"Authorization": f"Token {token}", "Content-Type": "application/json",
                 "Host": "127.0.0.1"})

    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    results["create_http"] = create_over_http_generic(
        # The same worker settings as weibao.conf.gunicorn (weibao's own is not importable
        # in this venv): threaded workers with one thread, connections kept alive.
        [gunicorn, "--worker-class", "gthread", "--threads", "1", "--keep-alive", "5",
         "hdbench_wsgi:application"], dict(os.environ), args.clients, args.seconds,
        request, "helpdesk create over HTTP")
    (Path(os.environ["HDBENCH_OUT"])).write_text(json.dumps(results))


# --- driver -----------------------------------------------------------------------------


def compare(helpdesk: dict[str, Any]) -> None:
    weibao_file = HERE / "results" / "tickets.json"
    if not weibao_file.exists():
        print("\n(no bench/results/tickets.json: run bench_tickets.py for the ratio)")
        return
    weibao = json.loads(weibao_file.read_text())
    print(f"\nside by side (weibao: {weibao['tickets']:,} tickets; helpdesk: "
          f"{helpdesk['tickets']:,})")
    w_create, h_create = weibao["create_http"]["per_second"], helpdesk["create_http"][
        "per_second"]
    print(f"  create over HTTP   weibao {w_create:7.1f}/s   helpdesk {h_create:7.1f}/s   "
          f"weibao/helpdesk = {w_create / h_create:.2f}")
    for key in ("p50_ms", "p95_ms"):
        w, h = weibao["list_open"][key], helpdesk["list"][key]
        print(f"  list API {key[:3]}       weibao {w:7.1f} ms  helpdesk {h:7.1f} ms  "
              f"helpdesk/weibao = {h / w:.2f}")
    helpdesk_file = HERE / "results" / "helpdesk.json"
    helpdesk_file.write_text(json.dumps(helpdesk, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=at_least(1), default=10_000)
    parser.add_argument("--requests", type=at_least(1), default=200)
    parser.add_argument("--seconds", type=positive_seconds, default=10)
    parser.add_argument("--clients", type=at_least(1), default=4)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. "
                 "postgres://postgres@127.0.0.1:5432/postgres")
    ensure_venv()
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    try:
        with tempfile.TemporaryDirectory(prefix="weibao-bench-helpdesk-") as folder:
            Path(folder, "hdbench_settings.py").write_text(SETTINGS)
            Path(folder, "hdbench_urls.py").write_text(URLS)
            Path(folder, "hdbench_wsgi.py").write_text(
                "from django.core.wsgi import get_wsgi_application\n"
                "application = get_wsgi_application()\n")
            out = Path(folder, "results.json")
            env = {k: v for k, v in os.environ.items()
                   if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")}
            env.update({"DATABASE_URL": bench, "DJANGO_SETTINGS_MODULE": "hdbench_settings",
                        "PYTHONPATH": f"{folder}:{HERE}", "HDBENCH_OUT": str(out)})
            argv = [str(venv_python()), __file__, "--child", *sys.argv[1:]]
            status = subprocess.call(argv, env=env, cwd=folder)
            if status == 0:
                compare(json.loads(out.read_text()))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    sys.exit(status)


if __name__ == "__main__":
    main()
