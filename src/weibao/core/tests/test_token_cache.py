"""API tokens (PLT-01): the token's user is kept per process for the recheck interval, a
revoked token or a deactivated user is refused at once by the process that changed it and
within the interval by the others (``weibao.core.stamped``)."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from weibao.security.tokens import hash_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(world):
    user = world.users["purchaser"]
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client, token, user


@pytest.fixture
def clock(settings, monkeypatch):
    settings.WEIBAO_CACHE_RECHECK_SECONDS = 2
    now = [10_000.0]
    monkeypatch.setattr("weibao.core.stamped.time.monotonic", lambda: now[0])
    return now


def test_a_revoked_token_is_refused_at_once_in_this_process(token_client, clock):
    client, token, _user = token_client
    assert client.get("/api/contracts/").json()["count"] == 1
    token.delete()
    assert client.get("/api/contracts/").status_code in (401, 403)


def test_a_deactivated_user_is_refused_at_once_in_this_process(token_client, clock):
    client, _token, user = token_client
    assert client.get("/api/contracts/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/contracts/").status_code in (401, 403)


def test_a_token_revoked_by_another_process_is_refused_within_the_interval(token_client,
                                                                          clock):
    client, token, _user = token_client
    assert client.get("/api/contracts/").status_code == 200
    with connection.cursor() as cursor:  # another process: no signal reaches this one
        cursor.execute("DELETE FROM authtoken_token WHERE key = %s",
                       [hash_token(token.key)])  # stored hashed (weibao.security)
    clock[0] += 1.5
    assert client.get("/api/contracts/").status_code == 200
    clock[0] += 1.0
    assert client.get("/api/contracts/").status_code in (401, 403)


def test_an_unknown_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/contracts/")
    assert response.status_code in (401, 403)
