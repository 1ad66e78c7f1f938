"""Schemathesis generates requests from the OpenAPI document against the API (reads and writes):
no 5xx, and every documented response matches its schema. Writes that reach a platform meet a
platform that is down (every outbound URL is mounted on a 503 transport): no network, and the
answer must still be a documented 4xx.

Driven through hypothesis directly (operation.as_strategy()) rather than schemathesis' pytest
plugin, whose lazy fixture loader does not run under pytest 9.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db


@pytest.fixture
def platforms_down():
    import httpx

    from shopbridge.sync.clients import mount_transport

    down = httpx.MockTransport(lambda request: httpx.Response(503, json={"error": "down"}))
    mount_transport("http", down)  # a prefix of every http:// and https:// URL
    yield
    mount_transport("http", None)


@pytest.fixture
def api_schema(tenant_records, platforms_down):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from shopbridge.config.wsgi import application

    # As django.test.Client does: keep the test's transaction open across in-process requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _generation_works() -> bool:
    # hypothesis 6.170.10 removed the private many.more() that hypothesis-jsonschema 0.23.1 uses
    # for every object schema (all query and path parameters): pin hypothesis<6.170.10.
    from hypothesis.internal.conjecture.utils import many

    return hasattr(many, "more")


@pytest.mark.skipif(
    not _generation_works(), reason="hypothesis>=6.170.10 breaks hypothesis-jsonschema 0.23.1"
)
def test_the_api_never_fails_with_5xx(api_schema, api_token):
    _token, key = api_token
    operations = [result.ok() for result in api_schema.get_all_operations()]
    statuses: set[int] = set()

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case):
            response = case.call(headers={"Authorization": f"Bearer {key}"})
            statuses.add(response.status_code)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        exercise()

    assert len(operations) >= 38
    assert 200 in statuses
    assert all(status < 500 for status in statuses)
