"""Whose address is believed (issue 15 item 7, PLT-03 audit log, PLT-08 back office): one
setting, WEIBAO_TRUSTED_PROXIES, decides when X-Forwarded-For is read, for the audit log and
the network check of /admin/ and /manage/ alike. A client's own X-Forwarded-For is never
believed; behind a trusted nginx the forwarded address is the client, so a public client is
refused even though every request arrives from 127.0.0.1."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from weibao.conf.env import env_networks
from weibao.conftest import World, login
from weibao.core.choices import OrganisationKind
from weibao.core.middleware import AuditMiddleware, client_address
from weibao.core.models import Organisation

PUBLIC = "198.51.100.7"
NGINX = "127.0.0.1"
BACK_OFFICE = ("/admin/", "/manage/users/", "/manage/organisations/")


def _created(client, name: str, **meta: str) -> LogEntry:
    """Create an organisation through /manage/ and return its audit entry."""
    answer = client.post("/manage/organisations/new/",
                         {"name": name, "code": name, "kind": OrganisationKind.VENDOR}, **meta)
    assert answer.status_code == 302, answer.content[:500]
    return LogEntry.objects.get_for_object(Organisation.objects.get(code=name)).get()


def _audit_entry_of_a_request(**meta: str) -> LogEntry:
    """The audit entry of a write made while django-auditlog's (weibao's) middleware runs."""
    def view(request):  # type: ignore[no-untyped-def]
        Organisation.objects.create(name="中间件", code="mw", kind=OrganisationKind.VENDOR)
        return None

    AuditMiddleware(view)(RequestFactory().post("/anything/", **meta))
    return LogEntry.objects.get_for_object(Organisation.objects.get(code="mw")).get()


# --- no trusted proxy (the default): X-Forwarded-For is the client's word, ignored ------------

def test_plt03_a_spoofed_forwarded_for_is_not_what_the_audit_log_records(client, world: World):
    """Issue 15 item 7: an administrator on the LAN claiming to be 203.0.113.9 is logged with
    the address the connection came from."""
    login(client, world.users["admin"])
    entry = _created(client, "spoof", REMOTE_ADDR="10.1.2.3",
                     HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert entry.remote_addr == "10.1.2.3"


@pytest.mark.django_db
def test_plt03_a_public_client_spoofing_a_local_address_is_logged_as_itself():
    entry = _audit_entry_of_a_request(REMOTE_ADDR=PUBLIC, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert entry.remote_addr == PUBLIC


@pytest.mark.parametrize("path", BACK_OFFICE)
def test_plt08_a_spoofed_forwarded_for_does_not_open_the_back_office(client, world: World,
                                                                     path: str):
    """Issue 15 item 7: /admin/ and /manage/ judge the connection's address, not the header."""
    login(client, world.users["admin"])
    answer = client.get(path, REMOTE_ADDR=PUBLIC, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert answer.status_code == 403


def test_plt08_manage_pages_answer_only_on_the_admin_networks(client, world: World):
    """Issue 15 item 7: /manage/ follows the same rule as /admin/."""
    login(client, world.users["admin"])
    assert client.get("/manage/users/", REMOTE_ADDR="192.168.1.20").status_code == 200
    assert client.get("/manage/users/", REMOTE_ADDR=PUBLIC).status_code == 403
    assert client.post("/manage/organisations/new/", {
        "name": "外网", "code": "outside", "kind": OrganisationKind.VENDOR},
        REMOTE_ADDR=PUBLIC).status_code == 403
    assert not Organisation.objects.filter(code="outside").exists()
    with override_settings(WEIBAO_ADMIN_NETWORKS=["198.51.100.0/24"]):
        assert client.get("/manage/users/", REMOTE_ADDR=PUBLIC).status_code == 200


def test_plt08_without_a_trusted_proxy_everyone_behind_nginx_looks_local(client, world: World):
    """Why the setting must be set behind nginx: its address is what weibao sees (documented
    in docs/install.md); this is the unconfigured behaviour, not a recommendation."""
    login(client, world.users["admin"])
    answer = client.get("/admin/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=PUBLIC)
    assert answer.status_code != 403  # past the network check (on to the admin's login)


# --- behind a trusted proxy: its forwarded address is the client ------------------------------

@override_settings(WEIBAO_TRUSTED_PROXIES=[NGINX])
@pytest.mark.parametrize("path", BACK_OFFICE)
def test_plt08_behind_a_trusted_proxy_a_public_client_is_refused(client, world: World,
                                                                 path: str):
    """Issue 15 item 7: the documented nginx on 127.0.0.1 forwards a public client."""
    login(client, world.users["admin"])
    assert client.get(path, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=PUBLIC).status_code == 403
    # A LAN client through the same nginx passes the network check (the admin then asks
    # Django's staff login; /manage/ shows the page).
    assert client.get(path, REMOTE_ADDR=NGINX,
                      HTTP_X_FORWARDED_FOR="10.1.2.3").status_code != 403


@override_settings(WEIBAO_TRUSTED_PROXIES=[NGINX])
def test_plt03_behind_a_trusted_proxy_the_audit_log_records_the_forwarded_client(client,
                                                                                world: World):
    login(client, world.users["admin"])
    entry = _created(client, "lan", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert entry.remote_addr == "10.1.2.3"


@override_settings(WEIBAO_TRUSTED_PROXIES=[NGINX])
def test_plt03_plt08_a_client_prefix_through_the_trusted_proxy_is_not_believed(client,
                                                                              world: World):
    """The client sends "X-Forwarded-For: 10.0.0.5"; nginx appends the real address. Only
    what the trusted proxy wrote (the right-most entry) counts, for both uses."""
    login(client, world.users["admin"])
    forged = f"10.0.0.5, {PUBLIC}"
    assert client.get("/admin/", REMOTE_ADDR=NGINX,
                      HTTP_X_FORWARDED_FOR=forged).status_code == 403
    entry = _audit_entry_of_a_request(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forged)
    assert entry.remote_addr == PUBLIC


@override_settings(WEIBAO_TRUSTED_PROXIES=["198.51.100.0/24"])
def test_plt03_an_untrusted_sender_is_not_believed_even_if_a_proxy_is_configured(db):
    entry = _audit_entry_of_a_request(REMOTE_ADDR="203.0.113.4", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert entry.remote_addr == "203.0.113.4"


# --- the address computation ------------------------------------------------------------------

@pytest.mark.parametrize(("trusted", "remote", "forwarded", "client"), [
    ([], "10.0.0.9", "1.2.3.4", "10.0.0.9"),                          # nobody trusted
    (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),                     # nginx's own request
    (["127.0.0.1"], "127.0.0.1", "1.2.3.4", "1.2.3.4"),
    (["127.0.0.1"], "127.0.0.1", "9.9.9.9, 1.2.3.4", "1.2.3.4"),       # left part is the client's
    (["127.0.0.1", "10.9.0.0/16"], "127.0.0.1", "9.9.9.9, 1.2.3.4, 10.9.1.1", "1.2.3.4"),
    (["127.0.0.1", "10.9.0.0/16"], "127.0.0.1", "10.9.1.2,10.9.1.1", "10.9.1.2"),  # all proxies
    (["127.0.0.1"], "127.0.0.1", "1.2.3.4:5678", "1.2.3.4"),           # with a port
    (["127.0.0.1"], "127.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
    (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    (["127.0.0.1"], "::ffff:127.0.0.1", "1.2.3.4", "1.2.3.4"),         # IPv4-mapped proxy
    (["127.0.0.1"], "127.0.0.1", "unknown", None),                     # nothing to believe
    (["127.0.0.1"], "127.0.0.1", "1.2.3.4, garbage", None),
    ([], "bogus", "", None),
])
def test_plt03_client_address_walks_forwarded_for_from_the_right(trusted, remote, forwarded,
                                                                  client):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    with override_settings(WEIBAO_TRUSTED_PROXIES=trusted):
        assert client_address(request) == client
    assert request.client_ip == client  # type: ignore[attr-defined]


def test_plt08_trusted_proxies_setting_is_checked_at_start(monkeypatch):
    """A bad entry stops weibao at start with a message naming the variable and the entry."""
    monkeypatch.setenv("WEIBAO_TRUSTED_PROXIES", "127.0.0.1, nginx.local")
    with pytest.raises(ImproperlyConfigured, match=r"WEIBAO_TRUSTED_PROXIES: 'nginx\.local'"):
        env_networks("WEIBAO_TRUSTED_PROXIES")
    monkeypatch.setenv("WEIBAO_TRUSTED_PROXIES", " 127.0.0.1 , 10.9.1.7/16,::1 ")
    assert env_networks("WEIBAO_TRUSTED_PROXIES") == ["127.0.0.1/32", "10.9.0.0/16", "::1/128"]
    monkeypatch.setenv("WEIBAO_TRUSTED_PROXIES", "")
    assert env_networks("WEIBAO_TRUSTED_PROXIES") == []
