"""The channel clients: SMTP through Django's e-mail backend, the WeCom (企业微信) and DingTalk
(钉钉) group robots, a generic webhook and an SMS gateway signed with HMAC-SHA256. Each raises
:class:`ChannelError` with a message that never contains the channel's address or secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from weibao.notifications.choices import ChannelKind
from weibao.notifications.models import Delivery

__all__ = ["ChannelError", "absolute", "dingtalk_sign", "send", "webhook_signature"]

TIMEOUT = 10
SIGNATURE_HEADER = "X-Weibao-Signature"
TIMESTAMP_HEADER = "X-Weibao-Timestamp"


class ChannelError(Exception):
    """A channel refused or could not be reached; the delivery is retried."""


def absolute(link: str) -> str:
    base = str(getattr(settings, "WEIBAO_BASE_URL", "") or "").rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def _text(delivery: Delivery) -> str:
    link = absolute(delivery.link)
    return "\n".join(part for part in (delivery.body, link) if part)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's robot signature: base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>"))."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>." + body): the receiver checks it
    and rejects an old timestamp (replay)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _post(url: str, payload: dict[str, Any], headers: dict[str, str] | None = None,
          body: bytes | None = None) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise ChannelError("the channel has no http(s) address")
    body = body if body is not None else json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise ChannelError(f"HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ChannelError(f"unreachable: {type(reason).__name__}") from None


def _robot_answer(raw: bytes) -> None:
    """Both robots answer 200 with ``{"errcode": 0, "errmsg": "ok"}``; other codes fail."""
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise ChannelError("the robot's answer is not JSON") from None
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code != 0:
        raise ChannelError(f"errcode {code}: {str(answer.get('errmsg', ''))[:200]}")


def _markdown(delivery: Delivery) -> str:
    lines = [f"**{delivery.subject}**"]
    if delivery.body:
        lines.append(delivery.body)
    if delivery.link:
        lines.append(f"[{delivery.link}]({absolute(delivery.link)})")
    return "\n\n".join(lines)


def send_email(delivery: Delivery, mail: Any = None) -> None:
    """``mail``: an open connection of Django's e-mail backend, reused across a batch."""
    to = delivery.address or (delivery.channel.plain_address() if delivery.channel else "")
    if not to:
        raise ChannelError("no mailbox to send to")
    message = EmailMessage(subject=delivery.subject, body=_text(delivery), to=[to],
                           connection=mail)
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise ChannelError(f"SMTP: {type(error).__name__} {str(error)[:200]}") from None


def send_wecom(delivery: Delivery, mail: Any = None) -> None:
    assert delivery.channel is not None
    _robot_answer(_post(delivery.channel.plain_address(),
                        {"msgtype": "markdown", "markdown": {"content": _markdown(delivery)}}))


def send_dingtalk(delivery: Delivery, mail: Any = None) -> None:
    assert delivery.channel is not None
    url = delivery.channel.plain_address()
    secret = delivery.channel.plain_secret()
    if secret:
        timestamp = int(time.time() * 1000)
        query = urllib.parse.urlencode({"timestamp": timestamp,
                                        "sign": dingtalk_sign(secret, timestamp)})
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    _robot_answer(_post(url, {"msgtype": "markdown",
                              "markdown": {"title": delivery.subject,
                                           "text": _markdown(delivery)}}))


def _wecom_token(channel: Any) -> str:
    """The application's access token (gettoken with corpid and the app's secret), cached
    for a little less than the two hours WeCom grants."""
    from django.core.cache import cache

    parts = urllib.parse.urlsplit(channel.plain_address())
    query = urllib.parse.parse_qs(parts.query)
    base = f"{parts.scheme}://{parts.netloc}"
    key = f"notifications:wecom-token:{channel.pk}"
    token = cache.get(key)
    if token:
        return str(token)
    url = f"{base}/cgi-bin/gettoken?" + urllib.parse.urlencode(
        {"corpid": query.get("corpid", [""])[0], "corpsecret": channel.plain_secret()})
    if not url.startswith(("https://", "http://")):
        raise ChannelError("the channel has no http(s) address")
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise ChannelError(f"gettoken HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise ChannelError(f"gettoken: {type(error).__name__}") from None
    if answer.get("errcode", 0) != 0 or not answer.get("access_token"):
        raise ChannelError(f"gettoken errcode {answer.get('errcode')}")
    cache.set(key, answer["access_token"], timeout=max(int(answer.get("expires_in", 7200))
                                                        - 300, 60))
    return str(answer["access_token"])


def send_wecom_app(delivery: Delivery, mail: Any = None) -> None:
    """A WeCom application message (应用消息) to the event's recipients: the address is
    ``https://qyapi.weixin.qq.com/?corpid=…&agentid=…``, the secret the application's."""
    from django.core.cache import cache

    assert delivery.channel is not None
    channel = delivery.channel
    parts = urllib.parse.urlsplit(channel.plain_address())
    agent = urllib.parse.parse_qs(parts.query).get("agentid", ["0"])[0]
    payload = {"touser": delivery.address, "msgtype": "textcard",
               "agentid": int(agent) if agent.isdigit() else 0,
               "textcard": {"title": delivery.subject, "description": delivery.body[:500]
                            or delivery.subject, "url": absolute(delivery.link) or "/",
                            "btntxt": "详情"}}
    url = f"{parts.scheme}://{parts.netloc}/cgi-bin/message/send?access_token="
    raw = _post(url + urllib.parse.quote(_wecom_token(channel)), payload)
    try:
        _robot_answer(raw)
    except ChannelError as error:
        if "errcode 42001" in str(error) or "errcode 40014" in str(error):
            cache.delete(f"notifications:wecom-token:{channel.pk}")  # expired: next time anew
        raise


def _signed_post(delivery: Delivery, payload: dict[str, Any]) -> None:
    assert delivery.channel is not None
    secret = delivery.channel.plain_secret()
    body = json.dumps(payload, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {TIMESTAMP_HEADER: timestamp}
    if secret:
        headers[SIGNATURE_HEADER] = webhook_signature(secret, timestamp, body)
    _post(delivery.channel.plain_address(), payload, headers, body)


def send_webhook(delivery: Delivery, mail: Any = None) -> None:
    _signed_post(delivery, {"event": delivery.event_kind, "subject": delivery.subject,
                            "body": delivery.body, "link": absolute(delivery.link),
                            "contract": delivery.contract_id, "key": delivery.key})


def send_sms(delivery: Delivery, mail: Any = None) -> None:
    """The SMS gateway interface: a signed JSON POST ``{"phone", "text", "key"}``; an adapter
    in front of the operator's gateway (or the government SMS platform) sends it on."""
    if not delivery.address:
        raise ChannelError("no phone number")
    _signed_post(delivery, {"phone": delivery.address, "key": delivery.key,
                            "text": f"{delivery.subject} {delivery.body}"[:300]})


SENDERS = {ChannelKind.EMAIL: send_email, ChannelKind.WECOM: send_wecom,
           ChannelKind.WECOM_APP: send_wecom_app,
           ChannelKind.DINGTALK: send_dingtalk, ChannelKind.WEBHOOK: send_webhook,
           ChannelKind.SMS: send_sms}


def send(delivery: Delivery, mail: Any = None) -> None:
    SENDERS[ChannelKind(delivery.kind)](delivery, mail)
