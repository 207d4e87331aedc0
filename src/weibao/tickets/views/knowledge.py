"""知识库 pages (TKT-09): list with search, detail, create/edit, create from a fault report in
one click, and linking an article to a ticket. Scoped to the user's contracts (PLT-01)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from weibao.contracts.selectors import visible_contracts
from weibao.tickets import services
from weibao.tickets.filtersets import ArticleFilterSet
from weibao.tickets.models import Article, Ticket
from weibao.tickets.views.work import TicketWorkView, attempt, ticket_url
from weibao.tickets.views.work_forms import ArticleForm
from weibao.utils.views import PermissionMixin, render_page

__all__ = ["ArticleCreateView", "ArticleDeleteView", "ArticleDetailView", "ArticleEditView",
           "ArticleFromReportView", "ArticleLinkView", "ArticleListView", "ArticleTable",
           "visible_articles"]


def visible_articles(user: Any) -> QuerySet[Article]:
    """PLT-01: articles of the user's contracts; unpublished ones only for the vendor."""
    articles = Article.objects.filter(contract__in=visible_contracts(user))
    if not user.has_perm("tickets.change_article"):
        articles = articles.filter(published=True)
    return articles.select_related("contract")


class ArticleTable(tables.Table):
    title = tables.LinkColumn("tickets:article-detail", args=[tables.A("pk")])
    contract = tables.Column(accessor="contract__number", verbose_name=gettext_lazy("contract"))
    tags = tables.Column(orderable=False)
    updated_at = tables.DateTimeColumn(format="Y-m-d H:i",
                                       verbose_name=gettext_lazy("updated at"))

    class Meta:
        model = Article
        fields = ["title", "contract", "tags", "published", "updated_at"]
        attrs = {"class": "table table-vcenter card-table", "data-testid": "article-table"}

    def render_tags(self, value: list[str]) -> str:
        return " ".join(f"#{tag}" for tag in value) or "—"


class ArticleListView(PermissionMixin, SingleTableMixin, FilterView):
    permission_required = "tickets.view_article"
    filterset_class = ArticleFilterSet
    table_class = ArticleTable
    paginate_by = 50
    template_name = "tickets/knowledge/list.html"

    def get_queryset(self) -> QuerySet[Article]:
        return visible_articles(self.request.user)

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["core/partials/object_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm("tickets.add_article")
        return context


class ArticleDetailView(PermissionMixin, DetailView):
    permission_required = "tickets.view_article"
    template_name = "tickets/knowledge/detail.html"
    context_object_name = "article"

    def get_queryset(self) -> QuerySet[Article]:
        return visible_articles(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["linked"] = Ticket.objects.visible_to(self.request.user).filter(
            articles=self.object)
        context["can_edit"] = self.request.user.has_perm("tickets.change_article")
        context["can_delete"] = self.request.user.has_perm("tickets.delete_article")
        return context


class ArticleCreateView(PermissionMixin, View):
    permission_required = "tickets.add_article"

    def form(self, data: Any = None, article: Article | None = None) -> ArticleForm:
        initial: dict[str, Any] = {}
        if article is not None:
            initial = {"contract": article.contract, "title": article.title,
                       "problem": article.problem, "cause": article.cause,
                       "solution": article.solution, "tags": " ".join(article.tags),
                       "published": article.published}
        form = ArticleForm(data, contracts=visible_contracts(self.request.user),
                           initial=initial)
        if article is not None:
            form.fields["contract"].disabled = True
        return form

    def render_form(self, form: ArticleForm, article: Article | None = None,
                    status: int = 200) -> HttpResponse:
        return render_page(self.request, "tickets/knowledge/form.html",
                           {"form": form, "article": article}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(self.form())

    def save(self, form: ArticleForm, article: Article | None) -> HttpResponse:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            saved, status = attempt(form, lambda: services.save_article(
                data["contract"], services.ArticleInput(
                    title=data["title"], problem=data["problem"], cause=data["cause"],
                    solution=data["solution"], tags=data["tags"],
                    published=data["published"]),
                self.request.user, article=article))  # type: ignore[arg-type]
            if saved is not None:
                messages.success(self.request, _("Article saved."))
                return HttpResponseRedirect(reverse("tickets:article-detail", args=[saved.pk]))
        return self.render_form(form, article, status)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.save(self.form(request.POST), None)


class ArticleEditView(ArticleCreateView):
    permission_required = "tickets.change_article"

    def article(self) -> Article:
        return get_object_or_404(visible_articles(self.request.user), pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        article = self.article()
        return self.render_form(self.form(article=article), article)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        article = self.article()
        return self.save(self.form(request.POST, article), article)


class ArticleDeleteView(PermissionMixin, View):
    permission_required = "tickets.delete_article"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = get_object_or_404(visible_articles(request.user), pk=pk)
        services.delete_article(article, request.user)  # type: ignore[arg-type]
        messages.success(request, _("Article deleted."))
        return HttpResponseRedirect(reverse("tickets:article-list"))


class ArticleFromReportView(TicketWorkView):
    """One click on the ticket page: an article from the fault report, then its edit page."""

    permission_required = "tickets.add_article"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from django.core.exceptions import ValidationError

        try:
            article = services.article_from_report(self.ticket, self.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(ticket_url(self.ticket))
        messages.success(request, _("Article created from the fault report; review it."))
        return HttpResponseRedirect(reverse("tickets:article-edit", args=[article.pk]))


class ArticleLinkView(TicketWorkView):
    """Link (or with ``unlink``, unlink) an article of the same contract to the ticket."""

    permission_required = "tickets.work_ticket"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from django.core.exceptions import ValidationError

        article = get_object_or_404(visible_articles(request.user),
                                    pk=request.POST.get("article") or 0)
        try:
            if request.POST.get("unlink"):
                services.unlink_article(article, self.ticket, self.user)
            else:
                services.link_article(article, self.ticket, self.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(ticket_url(self.ticket))
