"""Contract documents (CON-03: upload validation, replace, delete) and amendments (CON-06)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from weibao.contracts.models import Amendment, ContractDocument
from weibao.contracts.services import (
    delete_document,
    save_amendment,
    upload_document,
    validate_upload,
)
from weibao.core.errors import ServiceError
from weibao.testing.factories import ContractFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.WEIBAO_MAX_UPLOAD_MB = 1
    return tmp_path


@pytest.fixture
def contract():
    return ContractFactory(signed_on=datetime.date(2025, 1, 10))


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def upload(contract, name: str, content: bytes, title: str = "廉洁协议",
           doc_type: str = "integrity_agreement") -> ContractDocument:
    return upload_document(contract, doc_type=doc_type, title=title,
                           upload=SimpleUploadedFile(name, content))


# --- CON-03: validation ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content"), [
    ("a.pdf", PDF), ("A.PDF", PDF), ("a.ofd", ZIP), ("a.docx", ZIP), ("a.xlsx", ZIP),
    ("a.doc", OLE), ("a.wps", OLE), ("a.png", PNG), ("a.jpg", JPG), ("a.jpeg", JPG),
    ("a.txt", b"plain text"), ("a.zip", ZIP),
])
def test_con03_accepted_types(name, content):
    assert validate_upload(SimpleUploadedFile(name, content))


# (name, content, what the message must mention)
REFUSED = [
    ("setup.exe", b"MZ\x90\x00", ".exe"),
    ("script.js", b"alert(1)", ".js"),
    ("noextension", PDF, "?"),
    ("fake.pdf", PNG, "fake.pdf"),  # a PNG renamed to .pdf
    ("fake.docx", PDF, "fake.docx"),
    ("fake.png", JPG, "fake.png"),
    ("empty.pdf", b"", ""),
]


@pytest.mark.parametrize(("name", "content", "mention"), REFUSED, ids=[r[0] for r in REFUSED])
def test_con03_refused_uploads_write_nothing(contract, media, name, content, mention):
    with pytest.raises(ServiceError) as info:
        upload(contract, name, content)
    [message] = info.value.message_dict["file"]
    assert mention in message
    assert not ContractDocument.objects.exists()
    assert stored_files(media) == []


def test_con03_size_limit_follows_the_setting(contract, media, settings):
    limit = 1024 * 1024
    upload(contract, "exact.pdf", PDF + b"x" * (limit - len(PDF)), title="正好")
    with pytest.raises(ServiceError) as info:
        upload(contract, "big.pdf", PDF + b"x" * (limit - len(PDF) + 1), title="太大")
    assert "1 MB" in info.value.message_dict["file"][0]
    assert list(ContractDocument.objects.values_list("title", flat=True)) == ["正好"]
    settings.WEIBAO_MAX_UPLOAD_MB = 2
    upload(contract, "big.pdf", PDF + b"x" * (limit - len(PDF) + 1), title="太大")
    assert ContractDocument.objects.count() == 2


def test_con03_unknown_type_and_blank_title_are_refused(contract, media):
    with pytest.raises(ServiceError) as info:
        upload(contract, "a.pdf", PDF, doc_type="contract")
    assert "doc_type" in info.value.message_dict
    with pytest.raises(ServiceError) as info:
        upload(contract, "a.pdf", PDF, title="   ")
    assert "title" in info.value.message_dict
    assert not ContractDocument.objects.exists()
    assert stored_files(media) == []


def test_con03_upload_records_type_size_and_uploader(contract, world):
    user = world.users["purchaser"]
    doc = upload_document(contract, doc_type="tender", title="招标文件",
                          upload=SimpleUploadedFile("招标文件.pdf", PDF), actor=user)
    assert (doc.content_type, doc.size, doc.uploaded_by) == ("application/pdf", len(PDF), user)
    assert doc.file.name.startswith(f"contracts/{contract.pk}/")
    assert doc.file.name.endswith("/招标文件.pdf")
    with doc.file.open("rb") as fh:
        assert fh.read() == PDF


def test_con03_listed_document_gets_its_file_later(contract):
    listed = upload_document(contract, doc_type="tender", title="招标文件", upload=None)
    assert not listed.file
    filled = upload(contract, "t.pdf", PDF, title="招标文件", doc_type="tender")
    assert filled.pk == listed.pk and filled.file


# --- CON-03: replace and delete ----------------------------------------------------------------

def test_con03_reupload_of_the_same_type_and_title_replaces_the_file(
        contract, media, django_capture_on_commit_callbacks):
    first = upload(contract, "v1.pdf", PDF + b"v1")
    old = Path(first.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(contract, "v2.pdf", PDF + b"v2")
        assert old.exists(), "the old file is removed only after the commit"
    assert second.pk == first.pk
    assert ContractDocument.objects.count() == 1
    assert not old.exists()
    assert stored_files(media) == [Path(second.file.path)]
    with second.file.open("rb") as fh:
        assert fh.read() == PDF + b"v2"


def test_con03_same_title_with_another_type_is_another_document(contract):
    upload(contract, "a.pdf", PDF, title="承诺书", doc_type="security_commitment_company")
    upload(contract, "b.pdf", PDF, title="承诺书", doc_type="security_commitment_personal")
    assert ContractDocument.objects.count() == 2


def test_con03_delete_removes_the_file_after_commit(contract, media,
                                                    django_capture_on_commit_callbacks):
    doc = upload(contract, "a.pdf", PDF)
    path = Path(doc.file.path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_document(doc)
        assert path.exists(), "the file must survive until the transaction commits"
    assert len(callbacks) == 1
    assert not path.exists()
    assert not default_storage.exists(doc.file.name)
    assert not ContractDocument.objects.exists()


def test_con03_delete_without_commit_keeps_the_file(contract, media,
                                                    django_capture_on_commit_callbacks):
    doc = upload(contract, "a.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=False):
        delete_document(doc)
    assert Path(doc.file.path).exists()


def test_con06_document_of_an_amendment_cannot_be_deleted(contract, media):
    doc = upload(contract, "a.pdf", PDF, title="补充协议", doc_type="amendment")
    save_amendment(contract, title="补充协议", signed_on=datetime.date(2025, 6, 1), document=doc)
    with pytest.raises(ServiceError):
        delete_document(doc)
    assert ContractDocument.objects.filter(pk=doc.pk).exists()
    assert Path(doc.file.path).exists()


# --- CON-06: amendments ------------------------------------------------------------------------

def test_con06_amendments_are_numbered_in_order(contract):
    numbers = [save_amendment(contract, title=f"变更{i}",
                              signed_on=datetime.date(2025, 2 + i, 1)).sequence
               for i in range(3)]
    assert numbers == [1, 2, 3]
    assert list(contract.amendments.values_list("sequence", flat=True)) == [1, 2, 3]


def test_con06_explicit_number_and_duplicate_number(contract):
    save_amendment(contract, title="第五号", signed_on=datetime.date(2025, 6, 1), sequence=5)
    following = save_amendment(contract, title="下一号", signed_on=datetime.date(2025, 7, 1))
    assert following.sequence == 6
    with pytest.raises(ServiceError) as info:
        save_amendment(contract, title="重号", signed_on=datetime.date(2025, 8, 1), sequence=5)
    assert "sequence" in info.value.message_dict
    assert contract.amendments.count() == 2


def test_con06_editing_keeps_the_number(contract):
    first = save_amendment(contract, title="变更", signed_on=datetime.date(2025, 6, 1))
    save_amendment(contract, title="变更二", signed_on=datetime.date(2025, 7, 1))
    edited = save_amendment(contract, title="变更(修订)", signed_on=datetime.date(2025, 6, 2),
                            amendment=first)
    assert (edited.pk, edited.sequence, edited.title) == (first.pk, 1, "变更(修订)")


def test_con06_amendment_cannot_be_signed_before_the_contract(contract):
    save_amendment(contract, title="同日", signed_on=datetime.date(2025, 1, 10))
    with pytest.raises(ServiceError) as info:
        save_amendment(contract, title="更早", signed_on=datetime.date(2025, 1, 9))
    assert "signed_on" in info.value.message_dict
    assert contract.amendments.count() == 1


def test_con06_amendment_needs_a_title_and_its_own_contracts_document(contract, media):
    with pytest.raises(ServiceError) as info:
        save_amendment(contract, title=" ", signed_on=datetime.date(2025, 6, 1))
    assert "title" in info.value.message_dict
    other = ContractFactory()
    foreign = upload(other, "a.pdf", PDF, doc_type="amendment")
    with pytest.raises(ServiceError) as info:
        save_amendment(contract, title="变更", signed_on=datetime.date(2025, 6, 1),
                       document=foreign)
    assert "document" in info.value.message_dict
    assert not Amendment.objects.exists()


def test_con03_refused_reupload_keeps_the_previous_file(contract, media):
    doc = upload(contract, "v1.pdf", PDF)
    with pytest.raises(ServiceError):
        upload(contract, "v2.pdf", PNG)
    doc.refresh_from_db()
    assert stored_files(media) == [Path(doc.file.path)]
    with doc.file.open("rb") as fh:
        assert fh.read() == PDF


def test_con06_refused_amendment_page_writes_no_document(client, world, media):
    from weibao.conftest import login

    login(client, world.users["purchaser"])
    response = client.post(f"/contracts/{world.a.pk}/amendment/new/", {
        "title": "早于合同的变更", "signed_on": "2024-01-01", "summary": "",
        "file": SimpleUploadedFile("amend.pdf", PDF)})
    assert response.status_code == 400
    assert not Amendment.objects.exists()
    assert not ContractDocument.objects.exists()
    assert stored_files(media) == []
