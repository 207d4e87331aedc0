"""Typed, fail-fast readers for settings taken from environment variables.

Each helper raises ``ImproperlyConfigured`` naming the variable and the accepted values, so a
typo in a deployment stops weibao at start-up instead of surfacing as odd behaviour later.
A secret may also come from a file: ``NAME_FILE=/run/secrets/name`` (docker/systemd style).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "DatabaseURL",
    "env_bool",
    "env_int",
    "env_list",
    "env_networks",
    "env_path",
    "env_str",
    "parse_database_url",
]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off"
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list of IP addresses or networks (CIDR), IPv4 or IPv6, e.g.
    ``127.0.0.1,10.0.0.0/8,::1``; each entry is checked and returned in canonical form
    (``10.1.2.3/8`` becomes ``10.0.0.0/8``). An empty value is an empty list."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network; give comma-separated "
                "addresses or CIDR networks, e.g. 127.0.0.1,10.0.0.0/8,::1") from None
    return networks


def env_path(name: str, default: Path) -> Path:
    value = _raw(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class DatabaseURL:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""


def parse_database_url(url: str) -> DatabaseURL:
    """Parse ``postgres://user:pass@host:5432/name`` or ``sqlite:///path/to/db.sqlite3``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r}: a SQLite URL has no host; use sqlite:///relative/path "
                "or sqlite:////absolute/path"
            )
        name = path[1:] if path.startswith("/") else path
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: missing the database file path")
        return DatabaseURL(engine="django.db.backends.sqlite3", name=name)
    if scheme in {"postgres", "postgresql", "pgsql"}:
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: the port is not a number "
                                       "between 0 and 65535") from None
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: missing the database name")
        return DatabaseURL(
            engine="weibao.core.db.postgresql",
            name=name,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(port or ""),
        )
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r}: unsupported scheme {scheme!r}; use postgres:// or sqlite:///"
    )
