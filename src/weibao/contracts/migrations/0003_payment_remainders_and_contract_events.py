"""PAY-01, PAY-03: remainder milestones replace "scaled by assessment"; contract events.

A milestone scaled by the assessment paid "its percent × factor"; the seeds apply the factor to
the whole contract amount, so such a milestone becomes the final-price remainder (final price
minus the earlier milestones) and its percent is dropped (the remainder has none).
"""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def scaled_to_final_price_remainder(apps, schema_editor):
    PaymentMilestone = apps.get_model("contracts", "PaymentMilestone")
    PaymentMilestone.objects.filter(scaled_by_assessment=True).update(
        amount_basis="final_price", percent=None)


def final_price_remainder_to_scaled(apps, schema_editor):
    """Back: the remainder takes the percent the other milestones leave (at least 0)."""
    PaymentMilestone = apps.get_model("contracts", "PaymentMilestone")
    for milestone in PaymentMilestone.objects.exclude(amount_basis="percent"):
        others = PaymentMilestone.objects.filter(contract_id=milestone.contract_id,
                                                 percent__isnull=False)
        rest = Decimal(100) - sum((m.percent for m in others), Decimal(0))
        milestone.percent = max(rest, Decimal(0))
        milestone.scaled_by_assessment = milestone.amount_basis == "final_price"
        milestone.save(update_fields=["percent", "scaled_by_assessment"])


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0002_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ContractEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('kind', models.CharField(choices=[('final_assessment', 'Final assessment'), ('final_acceptance', 'Final acceptance'), ('approved_budget', 'Approved budget of a year'), ('deliverable_accepted', 'Deliverable accepted')], max_length=30, verbose_name='event')),
                ('occurred_on', models.DateField(verbose_name='date')),
                ('factor', models.DecimalField(blank=True, decimal_places=2, help_text='The share of the contract amount the assessment result pays, e.g. 90.', max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.01')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='assessment factor (%)')),
                ('penalties', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='penalties (CNY)')),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='approved budget (CNY)')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='budget year')),
                ('deliverable', models.CharField(blank=True, max_length=60, verbose_name='deliverable code')),
                ('source', models.CharField(choices=[('manual', 'Entered by hand')], default='manual', max_length=20, verbose_name='source')),
                ('note', models.CharField(blank=True, help_text='E.g. the score and the band it falls in.', max_length=300, verbose_name='note')),
            ],
            options={
                'verbose_name': 'contract event',
                'verbose_name_plural': 'contract events',
                'ordering': ['contract', 'occurred_on', 'id'],
            },
        ),
        migrations.AddField(
            model_name='paymentmilestone',
            name='amount_basis',
            field=models.CharField(choices=[('percent', 'Percent of the contract amount'), ('final_price', 'Final price minus the earlier milestones'), ('approved_budget', 'Approved budget of the year minus the earlier milestones')], default='percent', max_length=20, verbose_name='amount basis'),
        ),
        migrations.AddField(
            model_name='paymentmilestone',
            name='and_invoice',
            field=models.BooleanField(default=False, help_text='The period counts from the later of the event and the invoice (…且甲方收到乙方开具的等额发票后).', verbose_name='and after the invoice'),
        ),
        migrations.AddField(
            model_name='paymentmilestone',
            name='budget_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='For the approved-budget remainder; empty: the year the service starts.', null=True, verbose_name='budget year'),
        ),
        migrations.AddField(
            model_name='paymentmilestone',
            name='deliverable',
            field=models.CharField(blank=True, help_text="For 'after a deliverable is accepted', e.g. monthly-report-10.", max_length=60, verbose_name='deliverable code'),
        ),
        migrations.AlterField(
            model_name='paymentmilestone',
            name='percent',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='Only for a percent of the contract amount.', max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='percent of amount'),
        ),
        migrations.AlterField(
            model_name='paymentmilestone',
            name='trigger',
            field=models.CharField(choices=[('on_signing', 'On signing'), ('after_bond', 'After the performance bond is received'), ('by_date', 'By a date'), ('after_event', 'A period after an event'), ('after_assessment', 'After the assessment'), ('after_acceptance', 'After final acceptance'), ('after_deliverable', 'After a deliverable is accepted')], max_length=30, verbose_name='trigger'),
        ),
        migrations.RunPython(scaled_to_final_price_remainder, final_price_remainder_to_scaled),
        migrations.RemoveField(
            model_name='paymentmilestone',
            name='scaled_by_assessment',
        ),
        migrations.AddConstraint(
            model_name='paymentmilestone',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount_basis', 'percent'), ('percent__isnull', False)), models.Q(models.Q(('amount_basis', 'percent'), _negated=True), ('percent__isnull', True)), _connector='OR'), name='milestone_percent_iff_share'),
        ),
        migrations.AddField(
            model_name='contractevent',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='contracts.contract', verbose_name='contract'),
        ),
        migrations.AddField(
            model_name='contractevent',
            name='entered_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by'),
        ),
        migrations.AddConstraint(
            model_name='contractevent',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ['final_assessment', 'final_acceptance'])), fields=('contract', 'kind'), name='contract_event_once'),
        ),
        migrations.AddConstraint(
            model_name='contractevent',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'approved_budget')), fields=('contract', 'year'), name='contract_event_budget_per_year'),
        ),
        migrations.AddConstraint(
            model_name='contractevent',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'deliverable_accepted')), fields=('contract', 'deliverable'), name='contract_event_deliverable_once'),
        ),
    ]
