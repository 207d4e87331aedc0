"""The command line shared by the benchmarks of a large contract-year on PostgreSQL
(bench_assessment.py, bench_cockpit.py): parse the sizes, create a throw-away database, run
the measuring child process in it with its own data folder, and drop the database after."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchargs import at_least

__all__ = ["contract_year_main", "run_child_in_fresh_database"]

ROOT = Path(__file__).resolve().parent.parent


def _drop(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def contract_year_main(script: str, description: str, database: str,
                       child: Callable[[int, int, int, bool], None], *, repeat: int,
                       drop_env: Iterable[str] = ("DATABASE_URL",)) -> None:
    """``--tickets``, ``--visits``, ``--repeat``, ``--keep`` (the database stays for
    ``--reuse``); the child gets (tickets, visits, repeat, reuse) in ``database``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--tickets", type=at_least(1), default=1_000_000)
    parser.add_argument("--visits", type=at_least(1), default=60_000)
    parser.add_argument("--repeat", type=at_least(1), default=repeat)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.tickets, args.visits, args.repeat, args.reuse)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"{Path(script).name} needs DATABASE_URL=postgres://…")
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{database}"))
    if not args.reuse:
        _drop(admin, database)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
    dropped = set(drop_env)
    with tempfile.TemporaryDirectory(prefix=f"{database}-") as data:
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env.update({"WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                    "WEIBAO_LOG_LEVEL": "WARNING", "DATABASE_URL": bench})
        command = [sys.executable, script, "--child", "--tickets", str(args.tickets),
                   "--visits", str(args.visits), "--repeat", str(args.repeat)]
        try:
            status = subprocess.call(command + (["--reuse"] if args.reuse else []), env=env)
        finally:
            if not args.keep:
                _drop(admin, database)
    sys.exit(status)


def run_child_in_fresh_database(script: str, child_args: list[str], database: str,
                                prefix: str) -> None:
    """Run ``script --child <child_args>`` with its own throw-away data folder and, when
    DATABASE_URL names PostgreSQL, in a fresh database ``database`` dropped afterwards
    (SQLite otherwise). No Redis: tasks the set-up enqueues stay in the data folder. Exits
    with the child's status."""
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix=prefix) as data:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update({"WEIBAO_DATA_DIR": data, "PYTHONPATH": str(ROOT / "src"),
                    "WEIBAO_LOG_LEVEL": "WARNING"})
        command = [sys.executable, script, "--child", *child_args]
        if not url.startswith(("postgres://", "postgresql://")):
            sys.exit(subprocess.call(command, env=env))
        import psycopg

        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
            conn.execute(f'CREATE DATABASE "{database}"')
        try:
            env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
            status = subprocess.call(command, env=env)
        finally:
            _drop(admin, database)
    sys.exit(status)
