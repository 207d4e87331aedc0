"""``weibao demo``: load the four example contracts and one account per role per organisation.

Idempotent: running it again updates the same contracts and accounts. Prints the accounts and
the demo password. Never run it on a production database.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from weibao.contracts.choices import BondStatus
from weibao.contracts.models import Contract
from weibao.contracts.services import record_bond, record_invoice, record_payment
from weibao.contracts.spec.errors import SpecInvalid
from weibao.contracts.spec.importer import import_text
from weibao.core.choices import OrganisationKind, Role
from weibao.core.models import Organisation, User
from weibao.core.services import save_organisation, save_user

DEMO_PASSWORD = "weibao-demo"  # noqa: S105  (printed for the demo; never for production)
DOMAIN_DEMOS = ("weibao.sites.demo", "weibao.assets.demo", "weibao.spares.demo",
                "weibao.tickets.demo", "weibao.maintenance.demo", "weibao.reports.demo",
                "weibao.assessment.demo", "weibao.staff.demo", "weibao.emergency.demo",
                "weibao.notifications.demo")
ROLE_SLUG = {
    Role.PURCHASER_STAFF: "purchaser",
    Role.VENDOR_MANAGER: "manager",
    Role.VENDOR_ENGINEER: "engineer",
    Role.SITE_STAFF: "site",
    Role.SUPERVISOR: "supervisor",
    Role.ADMINISTRATOR: "admin",
}


def default_examples_dir() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "contracts"
        if candidate.is_dir():
            return candidate
    return Path.cwd() / "examples" / "contracts"


class Command(BaseCommand):
    help = "Load demo data: the example contracts and one account per role per organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--examples", type=Path, default=None,
                            help="Folder of example contract specs (default: examples/contracts)")
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["examples"] or default_examples_dir()
        files = sorted(folder.glob("*.yaml"))
        if not files:
            raise CommandError(f"no example specs (*.yaml) in {folder}")
        with transaction.atomic():
            for path in files:
                try:
                    result = import_text(path.read_text(encoding="utf-8"))
                except SpecInvalid as exc:
                    raise CommandError(f"{path}: " + "; ".join(exc.messages("en"))) from exc
                self.stdout.write(f"contract {result.contract.number}: {path.name}")
            self._payments_history()
            self._domain_demos()
            self._observer_parties()
            accounts = self._accounts(options["password"])
            self._after_accounts()
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {options['password']}):")
        for username, role, organisation in accounts:
            self.stdout.write(f"  {username:<32} {role:<18} {organisation}")

    def _domain_demos(self) -> None:
        """Each later domain adds its synthetic demo data through ``<app>.demo.load_demo``,
        in dependency order; every one of them is idempotent."""
        import importlib
        import importlib.util

        for name in DOMAIN_DEMOS:
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name).load_demo(self.stdout.write)

    def _after_accounts(self) -> None:
        """Domains whose demo data names people (a resident engineer who checks in) link it
        to the demo accounts once they exist, through ``<app>.demo.after_accounts``."""
        import importlib
        import importlib.util

        for name in DOMAIN_DEMOS:
            if importlib.util.find_spec(name) is not None:
                hook = getattr(importlib.import_module(name), "after_accounts", None)
                if hook is not None:
                    hook(self.stdout.write)

    def _accounts(self, password: str) -> list[tuple[str, str, str]]:
        operator = Organisation.objects.filter(code="weibao-ops").first() or save_organisation({
            "name": "weibao 平台运维（演示）", "code": "weibao-ops",
            "kind": OrganisationKind.OPERATOR})
        accounts = []
        organisations = [operator, *Organisation.objects.exclude(pk=operator.pk).filter(
            contract_parties__isnull=False).distinct().order_by("code")]
        for org in organisations:
            for role in Role.for_kind(org.kind):
                username = ("admin" if role == Role.ADMINISTRATOR
                            else f"{org.code}-{ROLE_SLUG[role]}")
                user = User.objects.filter(username=username).first()
                with translation.override("zh-hans"):
                    display_name = f"{org.short_name or org.name}{role.label}"
                save_user({"username": username, "organisation": org, "role": role,
                           "first_name": display_name[:150], "last_name": "",
                           "email": f"{username}@example.com", "is_active": True},
                          password=password, user=user)
                accounts.append((username, str(role.label), org.name))
        return accounts

    def _observer_parties(self) -> None:
        """The example specs name only a purchaser and a vendor; the demo adds a supervisor
        (监理) to every contract and a site owner (网点) to the contract with the most sites,
        who owns its three busiest sites, so every role has a login with something to see."""
        from django.db.models import Count

        from weibao.contracts.choices import PartyRole
        from weibao.contracts.services import save_party
        from weibao.sites.models import Site

        supervisor = Organisation.objects.filter(code="jianli").first() or \
            save_organisation({"name": "示例工程监理有限公司（演示）", "short_name": "示例监理",
                               "code": "jianli", "kind": OrganisationKind.SUPERVISOR})
        site_owner = Organisation.objects.filter(code="wangdian").first() or \
            save_organisation({"name": "示例社保卡受理网点（演示）", "short_name": "示例网点",
                               "code": "wangdian", "kind": OrganisationKind.SITE_OWNER})
        contracts = list(Contract.objects.order_by("number"))
        for contract in contracts:
            if not contract.parties.filter(role=PartyRole.SUPERVISOR).exists():
                save_party(contract, organisation=supervisor, role=PartyRole.SUPERVISOR)
        if Site.objects.filter(organisation=site_owner).exists():
            return
        most_sites = (Site.objects.values("contract").annotate(n=Count("id"))
                      .order_by("-n", "contract").first())
        if most_sites is None:
            return
        contract = Contract.objects.get(pk=most_sites["contract"])
        busiest = list(Site.objects.filter(contract=contract, organisation__isnull=True)
                       .annotate(n=Count("tickets")).order_by("-n", "code")
                       .values_list("pk", flat=True)[:3])
        if not contract.parties.filter(organisation=site_owner).exists():
            save_party(contract, organisation=site_owner, role=PartyRole.SITE_OWNER)
        # Demo data only: the sites' owner is set in bulk, as an import would set it.
        Site.objects.filter(pk__in=busiest).update(organisation=site_owner)

    def _payments_history(self) -> None:
        """A little operational history so the payment pages show real states: for each
        contract whose first milestone is still open, the bond received, the first milestone
        invoiced and paid."""
        for contract in Contract.objects.prefetch_related("milestones", "bonds"):
            first = contract.milestones.order_by("sequence").first()
            if first is None or first.invoices.exists():
                continue
            start = contract.signed_on or contract.start_date
            bond = contract.bonds.first()
            if bond is not None and bond.status == BondStatus.EXPECTED:
                record_bond(contract, percent=bond.percent, form=bond.form,
                            status=BondStatus.RECEIVED,
                            received_on=start + datetime.timedelta(days=7), bond=bond)
            from weibao.contracts.selectors import milestone_amounts

            amount = milestone_amounts(contract)[first.pk]
            if amount is None:  # a remainder waiting for an event: nothing to invoice yet
                continue
            issued = start + datetime.timedelta(days=10)
            invoice = record_invoice(first, number=f"DEMO-{contract.pk:03d}-0001",
                                     issued_on=issued, amount=amount)
            record_payment(first, paid_on=issued + datetime.timedelta(days=12), amount=amount,
                           invoice=invoice, reference=f"DEMO-PAY-{contract.pk:03d}")
