"""``weibao serve``: the web server and the background worker together, in one command.

Production: gunicorn (``weibao.conf.gunicorn`` and the environment) plus the huey consumer.
``--dev`` uses Django's development server instead of gunicorn. SIGINT/SIGTERM stop both
cleanly; if either process dies, the other is stopped and the command exits non-zero.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the web server and the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("WEIBAO_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("WEIBAO_WEB_WORKERS", "2")),
                            help="gunicorn worker processes")
        parser.add_argument("--dev", action="store_true",
                            help="Django's development server instead of gunicorn")
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        if options["dev"]:
            web = [python, "-m", "weibao", "runserver", "--noreload", options["bind"]]
        else:
            web = [python, "-m", "gunicorn", "--config", "python:weibao.conf.gunicorn",
                   "weibao.wsgi:application", "--bind", options["bind"],
                   "--workers", str(options["workers"]), "--access-logfile", "-"]
        commands = [web]
        if not options["no_worker"]:
            commands.append([python, "-m", "weibao", "run_huey", "--flush-locks"])
        children = [subprocess.Popen(cmd) for cmd in commands]  # noqa: S603
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        code = 0
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    self.stderr.write(f"process {child.args!r} exited with {child.returncode}")
                    code = child.returncode or 1
                    stopping = True
            time.sleep(0.5)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=25)
            except subprocess.TimeoutExpired:
                child.kill()
        if code:
            sys.exit(code)
