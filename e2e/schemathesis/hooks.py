"""Schemathesis hooks for the contract test (e2e/src/contract.test.ts).

Every write gets a fresh Idempotency-Key, so that each generated request is a request of its own: without it the
generator reuses a handful of keys ("0", "A", ...) and most writes would only replay a stored answer or be refused
as 422 IDEMPOTENCY_KEY_REUSED, which tests the idempotency store rather than the command.

A key the generator made malformed or left out on purpose (negative cases) is kept as it is: the hub refuses it
with 400 before anything is stored, which is what those cases test.
"""

import re
import uuid
from datetime import datetime, timedelta, timezone

import schemathesis

HEADER = "Idempotency-Key"
WELL_FORMED = re.compile(r"^[\x21-\x7e]{1,255}$")


@schemathesis.hook
def before_call(context, case, kwargs):
    recent_offline_sale(case)
    headers = case.headers
    if not headers:
        return
    for name in list(headers):
        if name.lower() == HEADER.lower():
            value = headers[name]
            if isinstance(value, str) and WELL_FORMED.match(value):
                headers[name] = str(uuid.uuid4())


# An offline replay's `occurredAt` must lie within OFFLINE_MAX_AGE_HOURS of now, which the schema cannot say: a
# well-formed one is moved to a minute ago, so the generated replays test the command rather than the age limit.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def recent_offline_sale(case):
    body = case.body
    if case.path != "/v1/adjustments" or not isinstance(body, dict) or body.get("offline") is not True:
        return
    occurred = body.get("occurredAt")
    if isinstance(occurred, str) and DATE_TIME.match(occurred):
        body["occurredAt"] = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat(timespec="seconds").replace("+00:00", "Z")
