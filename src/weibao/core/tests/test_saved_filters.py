"""Saved filters (issue 16): kept per user on the server, shown as chips on that list only,
validated, never another user's."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from weibao.core.models import SavedFilter
from weibao.core.saved_filters import MAX_PER_LIST, save_filter
from weibao.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_saved_filter_is_a_chip_of_its_list_for_its_user_only() -> None:
    alice, bob = UserFactory(username="sf-alice"), UserFactory(username="sf-bob")
    client = Client()
    client.force_login(alice)
    answer = client.post("/filters/", {"name": "我的卡机", "path": "/tickets/",
                                       "query": "q=卡机&page=3&export=xlsx&open=unknown"})
    assert answer.status_code == 200
    saved = SavedFilter.objects.get(user=alice)
    assert saved.url == "/tickets/?q=%E5%8D%A1%E6%9C%BA"  # paging and export are no filters
    body = client.get("/tickets/").content.decode()
    assert "我的卡机" in body and 'href="/tickets/?q=%E5%8D%A1%E6%9C%BA"' in body
    assert "我的卡机" not in client.get("/sites/").content.decode()
    other = Client()
    other.force_login(bob)
    assert "我的卡机" not in other.get("/tickets/").content.decode()
    assert other.post(f"/filters/{saved.pk}/delete/").status_code == 404
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    assert client.post(f"/filters/{saved.pk}/delete/").status_code == 200
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_the_same_name_replaces_and_bad_input_is_refused() -> None:
    user = UserFactory(username="sf-carol")
    save_filter(user, path="/tickets/", name="一", query="q=a")
    save_filter(user, path="/tickets/", name="一", query="q=b")
    assert list(SavedFilter.objects.values_list("query", flat=True)) == ["q=b"]
    with pytest.raises(ValidationError) as caught:
        save_filter(user, path="https://evil.example/", name=" ", query="")
    assert set(caught.value.message_dict) == {"name", "path"}
    for i in range(MAX_PER_LIST - 1):
        save_filter(user, path="/tickets/", name=f"f{i}", query="")
    with translation.override("en"), pytest.raises(ValidationError, match="at most"):
        save_filter(user, path="/tickets/", name="one too many", query="")
    client = Client()
    client.force_login(user)
    answer = client.post("/filters/", {"name": "", "path": "/tickets/"})
    assert answer.status_code == 400 and "name" in answer.json()["errors"]
    assert Client().post("/filters/", {"name": "x", "path": "/tickets/"}).status_code == 302
