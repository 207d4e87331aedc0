"""Fixtures of the notification tests: seed 002's contract with one person per role, and
real loopback endpoints — an SMTP server (aiosmtpd) and an HTTP server that answers like the
WeCom and DingTalk robots, a signed webhook receiver and an SMS gateway, checking signatures
and message formats the way the real services do."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.cache import cache

from weibao.testing.examples import Setup, example_setup

DINGTALK_SECRET = "SEC0123456789abcdef"
WEBHOOK_SECRET = "whsec-test-0123456789"
APP_SECRET = "wecom-app-secret-42"


@dataclass
class Robot:
    """What the loopback server received, and how it should answer next."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_with: int | None = None  # answer this HTTP status (e.g. 500) to every request
    errcode: int = 0
    tokens: int = 0  # gettoken calls

    def path(self, name: str) -> str:
        return f"{self.url}/{name}"


def _verify_dingtalk(query: dict[str, list[str]]) -> bool:
    timestamp = int(query.get("timestamp", ["0"])[0])
    if abs(time.time() * 1000 - timestamp) > 3600 * 1000:
        return False
    expected = base64.b64encode(hmac.new(
        DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
        hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, query.get("sign", [""])[0])


def _verify_webhook(headers: Any, body: bytes) -> bool:
    timestamp = headers.get("X-Weibao-Timestamp", "")
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), timestamp.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers.get("X-Weibao-Signature", ""))


def _handler(robot: Robot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep the test output quiet
            pass

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query)
            if parts.path != "/cgi-bin/gettoken":
                self._answer(404, {})
                return
            robot.tokens += 1
            if query.get("corpid") != ["ww-corp"] or query.get("corpsecret") != [APP_SECRET]:
                self._answer(200, {"errcode": 40001, "errmsg": "invalid credential"})
                return
            self._answer(200, {"errcode": 0, "access_token": "tok-1", "expires_in": 7200})

        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if robot.fail_with:
                self._answer(robot.fail_with, {"errcode": -1, "errmsg": "down"})
                return
            try:
                message = json.loads(body)
            except ValueError:
                self._answer(400, {"errcode": 40001, "errmsg": "bad json"})
                return
            entry = {"path": parts.path, "query": query, "body": message,
                     "content_type": self.headers.get("Content-Type", "")}
            if parts.path == "/cgi-bin/webhook/send":  # WeCom group robot
                if query.get("key") != ["wecom-key"] or message.get("msgtype") not in (
                        "text", "markdown") or not message.get(message["msgtype"], {}).get(
                        "content"):
                    self._answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
                    return
            elif parts.path == "/cgi-bin/message/send":  # WeCom application message
                if query.get("access_token") != ["tok-1"]:
                    self._answer(200, {"errcode": 40014, "errmsg": "invalid access_token"})
                    return
                if message.get("agentid") != 1000002 or not message.get("touser") or \
                        message.get("msgtype") != "textcard":
                    self._answer(200, {"errcode": 40008, "errmsg": "invalid message"})
                    return
            elif parts.path == "/robot/send":  # DingTalk group robot with signing
                if query.get("access_token") != ["ding-token"] or not _verify_dingtalk(query):
                    self._answer(200, {"errcode": 310000, "errmsg": "sign not match"})
                    return
                if message.get("msgtype") != "markdown" or not message["markdown"].get("text"):
                    self._answer(200, {"errcode": 40035, "errmsg": "bad message"})
                    return
            elif parts.path in ("/hook", "/sms") and not _verify_webhook(self.headers, body):
                self._answer(401, {"error": "bad signature"})
                return
            robot.received.append(entry)
            self._answer(200, {"errcode": robot.errcode, "errmsg": "ok"})

    return Handler


@pytest.fixture
def robot() -> Iterator[Robot]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Robot("")))
    state = Robot(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    messages: list[Any] = field(default_factory=list)


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    """A real SMTP server on loopback; Django's SMTP backend sends to it."""
    from aiosmtpd.controller import Controller

    box = Mailbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            from email import message_from_bytes, policy

            box.messages.append((envelope.rcpt_tos,
                                 message_from_bytes(envelope.content, policy=policy.default)))
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free port (aiosmtpd connects to it to check it is up)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield box
    controller.stop()


@pytest.fixture(autouse=True)
def clean_rate_limits() -> Iterator[None]:
    cache.clear()
    yield


@pytest.fixture
def ca(db: None) -> Setup:
    """Seed 002: fault levels I–IV, respond within 15 minutes for level III (SLA-02/03)."""
    return example_setup("002-shanghai-hrss-ca-integration.yaml", "n", supervisor=True)
