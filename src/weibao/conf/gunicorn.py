"""gunicorn settings of ``weibao serve``; the benchmarks start gunicorn with this file too, so
they measure what is shipped.

Threaded workers keep HTTP connections alive between requests (a phone or a browser sends
several in a row; the sync worker closes each one). One thread per worker by default: the
work is CPU-bound under one interpreter lock, and a second thread per worker measured slower
(``docs/benchmarks.md``). ``WEIBAO_WEB_THREADS`` raises it where requests wait on slow
networks more than they compute."""

from __future__ import annotations

import os

worker_class = "gthread"
threads = max(1, int(os.environ.get("WEIBAO_WEB_THREADS", "1")))
# Seconds an idle kept-alive connection stays open.
keepalive = 5
graceful_timeout = 20
