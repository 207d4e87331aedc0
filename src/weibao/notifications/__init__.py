"""Events, recipients by rule, channels and deliveries (SLA-10, TKT-01, RPT-07, STF-04)."""
