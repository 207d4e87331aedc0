"""Import pages (AST-10): choose a contract, upload a file, preview every row error, commit
(all or nothing / valid rows only), follow the progress, read the summary; job history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from django_tables2 import SingleTableMixin

from weibao.contracts.models import Contract
from weibao.contracts.selectors import visible_contracts
from weibao.imports import services
from weibao.imports.exports import ExcelExportMixin, template_response, xlsx_response
from weibao.imports.forms import CommitForm, UploadForm
from weibao.imports.models import ImportJob
from weibao.imports.registry import Importer, get_importer
from weibao.imports.selectors import allowed_importers, can_import, visible_jobs
from weibao.imports.tables import ImportJobTable
from weibao.utils.views import (
    ContractScopedMixin,
    PermissionMixin,
    add_service_errors,
    render_page,
)

__all__ = ["ContractImportView", "ImportIndexView", "JobCommitView", "JobListView", "JobView",
           "TemplateView"]


class ImportIndexView(PermissionMixin, View):
    """``/imports/``: the user's contracts, each with its import page."""

    permission_required = "imports.add_importjob"

    def get(self, request: HttpRequest) -> HttpResponse:
        importers = allowed_importers(request.user)
        return render_page(request, "imports/index.html", {
            "contracts": visible_contracts(request.user).order_by("-start_date", "number"),
            "importers": importers,
            "jobs": visible_jobs(request.user)[:10],
        })


class _ImportMixin(ContractScopedMixin):
    permission_required = "imports.add_importjob"
    request: HttpRequest

    def importers(self) -> list[Importer]:
        return [i for i in allowed_importers(self.request.user)
                if can_import(self.request.user, i, self.contract)]


class ContractImportView(_ImportMixin, View):
    """``/imports/<contract>/``: upload form and the latest jobs of the contract."""

    def get(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        return self.render(UploadForm(importers=self.importers()))

    def render(self, form: UploadForm, status: int = 200) -> HttpResponse:
        if not self.importers():
            raise PermissionDenied
        table = ImportJobTable(visible_jobs(self.request.user, self.contract)[:10],
                               orderable=False)
        return render_page(self.request, "imports/contract_import.html", {
            "contract": self.contract, "form": form, "importers": self.importers(),
            "table": table,
        }, status=status)

    def post(self, request: HttpRequest, contract_pk: int) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, importers=self.importers())
        if form.is_valid():
            try:
                job = services.upload(self.contract, form.cleaned_data["importer"],
                                      form.cleaned_data["file"], request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("imports:job", args=[self.contract.pk,
                                                                         job.pk]))
        return self.render(form, status=400)


class JobListView(ExcelExportMixin, ContractScopedMixin, SingleTableMixin, ListView):
    """``/imports/<contract>/jobs/``: every import job of the contract (``?export=xlsx``)."""

    permission_required = "imports.view_importjob"
    table_class = ImportJobTable
    paginate_by = 25
    template_name = "imports/job_list.html"
    model = ImportJob

    def get_queryset(self) -> QuerySet[ImportJob]:
        return visible_jobs(self.request.user, self.contract)


def _job(request: HttpRequest, contract: Contract, pk: int) -> ImportJob:
    return get_object_or_404(visible_jobs(request.user, contract), pk=pk)


def _result_url(job: ImportJob) -> str:
    """The list page of what was imported (its app's ``list`` page), if there is one."""
    try:
        app = get_importer(job.importer).permission.split(".", 1)[0]
    except KeyError:
        return ""
    for name, args in ((f"{app}:contract-list", [job.contract_id]), (f"{app}:list", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def render_job(request: HttpRequest, job: ImportJob, form: CommitForm | None = None,
               status: int = 200) -> HttpResponse:
    """The job page, or (for htmx polling) just its status part."""
    try:
        importer: Importer | None = get_importer(job.importer)
    except KeyError:
        importer = None
    labels = {c.key: c.label for c in importer.columns_for(job.contract)} if importer else {}
    errors = [{**e, "label": labels.get(e["column"], e["column"])} for e in job.errors]
    return render_page(request, "imports/job.html", {
        "contract": job.contract, "job": job, "importer": importer, "errors": errors,
        "form": form, "result_url": _result_url(job) if job.status == "done" else "",
        "may_commit": importer is not None and job.can_commit
        and can_import(request.user, importer, job.contract),
    }, partial="imports/partials/job_status.html", status=status)


class JobView(ContractScopedMixin, View):
    """``/imports/<contract>/jobs/<pk>/``: preview (every row error, counts, the two commit
    buttons), progress (polled by htmx every second while running) or summary."""

    permission_required = "imports.view_importjob"

    def get(self, request: HttpRequest, contract_pk: int, pk: int) -> HttpResponse:
        job = _job(request, self.contract, pk)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                f"import-{job.pk}-errors.xlsx", [_("Row"), _("Column"), _("Error")],
                ((e["row"], e["column"], e["message"]) for e in job.errors))
        return render_job(request, job)


class JobCommitView(_ImportMixin, View):
    """``POST /imports/<contract>/jobs/<pk>/commit/`` with ``mode``."""

    def post(self, request: HttpRequest, contract_pk: int, pk: int) -> HttpResponse:
        job = _job(request, self.contract, pk)
        try:
            importer = get_importer(job.importer)
        except KeyError:
            raise Http404 from None
        if not can_import(request.user, importer, self.contract):
            raise PermissionDenied
        form = CommitForm(request.POST)
        if form.is_valid():
            try:
                services.commit(job, form.cleaned_data["mode"], request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("imports:job", args=[self.contract.pk,
                                                                         job.pk]))
        job.refresh_from_db()
        return render_job(request, job, form=form, status=400)


class TemplateView(PermissionMixin, View):
    """``/imports/template/<key>.xlsx[?contract=<id>]``: the Excel template of an importer."""

    permission_required = "imports.add_importjob"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        try:
            importer = get_importer(key)
        except KeyError:
            raise Http404 from None
        if not can_import(request.user, importer):
            raise PermissionDenied
        contract = None
        if request.GET.get("contract", "").isdigit():  # with the contract's own columns
            contract = get_object_or_404(visible_contracts(request.user),
                                         pk=int(request.GET["contract"]))
        return template_response(importer, contract)
