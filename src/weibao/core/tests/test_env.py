"""weibao.conf.env: typed settings from the environment; a bad value stops start-up with
ImproperlyConfigured naming the variable; secrets may come from NAME_FILE (PLT-02)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from weibao.conf.env import (
    DatabaseURL,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_database_url,
)

VAR = "WEIBAO_TEST_VALUE"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    monkeypatch.delenv(f"{VAR}_FILE", raising=False)


# --- env_str / env_bool ------------------------------------------------------------------------

def test_env_str(monkeypatch):
    assert env_str(VAR) == ""
    assert env_str(VAR, "default") == "default"
    monkeypatch.setenv(VAR, "  kept as is ")
    assert env_str(VAR, "default") == "  kept as is "
    monkeypatch.setenv(VAR, "")
    assert env_str(VAR, "default") == ""  # set but empty is a value


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", "on", " true "])
def test_env_bool_true(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    assert env_bool(VAR, False) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "OFF", ""])
def test_env_bool_false(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    assert env_bool(VAR, True) is False


def test_env_bool_default_when_unset():
    assert env_bool(VAR) is False
    assert env_bool(VAR, True) is True


@pytest.mark.parametrize("value", ["2", "ture", "y", "enabled", "-1"])
def test_env_bool_bad_value_names_the_variable(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    with pytest.raises(ImproperlyConfigured) as info:
        env_bool(VAR)
    assert VAR in str(info.value)
    assert repr(value) in str(info.value)


# --- env_int -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [("5", 5), (" 42 ", 42), ("-3", -3),
                                                 ("", 7), ("   ", 7)])
def test_env_int(monkeypatch, value, expected):
    monkeypatch.setenv(VAR, value)
    assert env_int(VAR, 7) == expected


def test_env_int_default_when_unset():
    assert env_int(VAR, 20) == 20


@pytest.mark.parametrize("value", ["abc", "1.5", "10MB", "0x10"])
def test_env_int_bad_value_names_the_variable(monkeypatch, value):
    monkeypatch.setenv(VAR, value)
    with pytest.raises(ImproperlyConfigured) as info:
        env_int(VAR, 1)
    assert VAR in str(info.value) and "not an integer" in str(info.value)


def test_env_int_minimum(monkeypatch):
    monkeypatch.setenv(VAR, "8")
    assert env_int(VAR, 10, minimum=8) == 8
    monkeypatch.setenv(VAR, "7")
    with pytest.raises(ImproperlyConfigured) as info:
        env_int(VAR, 10, minimum=8)
    assert VAR in str(info.value) and "at least 8" in str(info.value)


# --- env_list / env_path -----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("a.example,b.example", ["a.example", "b.example"]),
    (" a , b ,, c ,", ["a", "b", "c"]),
    ("", []),
    ("single", ["single"]),
])
def test_env_list(monkeypatch, value, expected):
    monkeypatch.setenv(VAR, value)
    assert env_list(VAR, ["default"]) == expected


def test_env_list_default_is_a_copy():
    default = ["127.0.0.1"]
    value = env_list(VAR, default)
    assert value == default and value is not default
    value.append("x")
    assert default == ["127.0.0.1"]
    assert env_list(VAR) == []


def test_env_path(monkeypatch, tmp_path):
    default = Path("/srv/default")
    assert env_path(VAR, default) == default
    monkeypatch.setenv(VAR, str(tmp_path / "sub" / ".." / "data"))
    assert env_path(VAR, default) == (tmp_path / "data").resolve()
    monkeypatch.setenv(VAR, "~/weibao")
    assert env_path(VAR, default) == (Path.home() / "weibao").resolve()


# --- *_FILE secrets ----------------------------------------------------------------------------

def test_file_secret_is_read_and_stripped(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t-密钥\n", encoding="utf-8")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret))
    assert env_str(VAR) == "s3cr3t-密钥"


def test_file_secret_wins_over_the_plain_variable(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file", encoding="utf-8")
    monkeypatch.setenv(VAR, "from-env")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret))
    assert env_str(VAR) == "from-file"


def test_file_secret_feeds_the_typed_readers(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    monkeypatch.setenv(f"{VAR}_FILE", str(secret))
    secret.write_text("yes\n", encoding="utf-8")
    assert env_bool(VAR) is True
    secret.write_text("25\n", encoding="utf-8")
    assert env_int(VAR, 1) == 25
    secret.write_text("a,b\n", encoding="utf-8")
    assert env_list(VAR) == ["a", "b"]
    secret.write_text("maybe\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured) as info:
        env_bool(VAR)
    assert VAR in str(info.value)


def test_unreadable_file_secret_names_the_file_variable(monkeypatch, tmp_path):
    missing = tmp_path / "nope"
    monkeypatch.setenv(f"{VAR}_FILE", str(missing))
    with pytest.raises(ImproperlyConfigured) as info:
        env_str(VAR)
    assert f"{VAR}_FILE" in str(info.value) and str(missing) in str(info.value)


def test_empty_file_variable_falls_back_to_the_plain_variable(monkeypatch):
    monkeypatch.setenv(f"{VAR}_FILE", "")
    monkeypatch.setenv(VAR, "plain")
    assert env_str(VAR) == "plain"


# --- parse_database_url ------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected"), [
    ("postgres://weibao:p%40ss%3Aw0rd@db.internal:5433/weibao",
     DatabaseURL("weibao.core.db.postgresql", "weibao", "weibao", "p@ss:w0rd",
                 "db.internal", "5433")),
    ("postgresql://postgres@127.0.0.1/weibao_h3",
     DatabaseURL("weibao.core.db.postgresql", "weibao_h3", "postgres", "", "127.0.0.1", "")),
    ("PGSQL://u@h:5432/%E7%BB%B4%E4%BF%9D",
     DatabaseURL("weibao.core.db.postgresql", "维保", "u", "", "h", "5432")),
    ("sqlite:///var/weibao.sqlite3",
     DatabaseURL("django.db.backends.sqlite3", "var/weibao.sqlite3")),
    ("sqlite:////srv/weibao/db.sqlite3",
     DatabaseURL("django.db.backends.sqlite3", "/srv/weibao/db.sqlite3")),
])
def test_parse_database_url(url, expected):
    assert parse_database_url(url) == expected


@pytest.mark.parametrize(("url", "fragment"), [
    ("mysql://u:p@h/db", "unsupported scheme 'mysql'"),
    ("weibao.sqlite3", "unsupported scheme ''"),
    ("postgres://u@h:5432/", "missing the database name"),
    ("postgres://u@h:5432", "missing the database name"),
    ("sqlite://", "missing the database file path"),
    ("sqlite://host/db.sqlite3", "has no host"),
])
def test_parse_database_url_bad_values_name_the_variable(url, fragment):
    with pytest.raises(ImproperlyConfigured) as info:
        parse_database_url(url)
    assert str(info.value).startswith("DATABASE_URL=")
    assert fragment in str(info.value)


@pytest.mark.parametrize("url", ["postgres://u@h:54x2/weibao", "postgres://u@h:99999/weibao"])
def test_parse_database_url_bad_port_is_improperly_configured(url):
    """A typo in the port must stop start-up with a message naming DATABASE_URL."""
    with pytest.raises(ImproperlyConfigured) as info:
        parse_database_url(url)
    assert "DATABASE_URL" in str(info.value)
