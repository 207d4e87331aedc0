"""weibao's PostgreSQL backend: Django's, with a handful of rows inserted as VALUES (cheaper
once the statement is prepared) and large batches as UNNEST."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weibao.core.models import Organisation

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend"),
    pytest.mark.django_db,
]


def _insert(count: int) -> str:
    rows = [Organisation(name=f"示例单位{i}", code=f"db-{count}-{i}") for i in range(count)]
    with CaptureQueriesContext(connection) as queries:
        Organisation.objects.bulk_create(rows)
    assert Organisation.objects.filter(code__startswith=f"db-{count}-").count() == count
    return next(q["sql"] for q in queries if q["sql"].startswith("INSERT"))


def test_the_backend_is_weibaos():
    assert connection.settings_dict["ENGINE"] == "weibao.core.db.postgresql"


def test_a_few_rows_are_inserted_as_values():
    sql = _insert(5)
    assert " VALUES " in sql and "UNNEST" not in sql


def test_a_large_batch_is_inserted_with_unnest():
    assert "UNNEST" in _insert(200)
