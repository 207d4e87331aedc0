"""API tokens are stored hashed (PLT-04, PLT-05): a copy of the database gives no usable key."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from weibao.core.choices import Role
from weibao.security.models import Lockout, LoginAttempt
from weibao.security.tokens import hash_token, issue_token
from weibao.testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _me(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/contracts/").status_code


def test_plt04_token_is_stored_as_its_digest_and_the_stored_value_is_useless() -> None:
    user = UserFactory(role=Role.PURCHASER_STAFF)
    plain = issue_token(user)
    stored = Token.objects.get(user=user).key
    assert stored == hash_token(plain) and stored != plain and len(stored) == 40
    assert _me(plain) == 200
    assert _me(stored) in (401, 403)  # a stolen database row does not authenticate


def test_plt04_orm_created_tokens_are_hashed_too() -> None:
    user = UserFactory()
    token = Token.objects.create(user=user)
    assert Token.objects.get(user=user).key == hash_token(token.key)
    assert _me(token.key) == 200


def test_plt04_token_endpoint_shows_a_new_key_once_and_revokes_the_old() -> None:
    UserFactory(username="api-user")
    api = APIClient()
    first = api.post("/api/auth/token/", {"username": "api-user", "password": PASSWORD})
    assert first.status_code == 200
    second = api.post("/api/auth/token/", {"username": "api-user", "password": PASSWORD})
    assert _me(second.json()["token"]) == 200
    assert _me(first.json()["token"]) in (401, 403)
    assert Token.objects.count() == 1
    assert LoginAttempt.objects.filter(username="api-user", succeeded=True).count() == 2


def test_plt04_token_endpoint_counts_failures_and_respects_lockout(settings: object) -> None:
    settings.WEIBAO_LOCKOUT_THRESHOLD = 2  # type: ignore[attr-defined]
    UserFactory(username="api-user2")
    api = APIClient()
    for _ in range(2):
        assert api.post("/api/auth/token/", {"username": "api-user2",
                                             "password": "bad"}).status_code == 400
    assert Lockout.objects.filter(key="api-user2").exists()
    locked = api.post("/api/auth/token/", {"username": "api-user2", "password": PASSWORD})
    assert locked.status_code in (401, 403)
    assert not Token.objects.exists()


def test_plt04_deleting_the_creating_instance_revokes_the_token() -> None:
    user = UserFactory()
    token = Token.objects.create(user=user)
    token.delete()
    assert not Token.objects.filter(user=user).exists()
