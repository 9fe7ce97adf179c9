"""A response hook for the fake that checks every /v1 response against cloud.spec.json."""

from __future__ import annotations

from hetzner_async.testing import FaultKind
from hetzner_async.testing.stats import ResponseRecord

from ._spec import find_operation, validate_error, validate_response


class SpecRecorder:
    """Validate every /v1 response against cloud.spec.json; collect what does not match."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self.checked = 0

    def __call__(self, record: ResponseRecord) -> None:
        where = f"{record.method} {record.path} -> {record.status}"
        if "X-Correlation-Id" not in record.headers:
            self.violations.append(f"{where}: no X-Correlation-Id header")
        fault = record.fault
        if fault is not None and fault.kind is FaultKind.ERROR and not fault.envelope:
            return  # a plain HTML page, as a proxy sends: not the API's to describe
        try:
            try:
                find_operation(record.method, record.path)
            except AssertionError:
                if record.status < 400:
                    raise
                validate_error(record.body)
            else:
                validate_response(record.method, record.path, record.status, record.body)
            self.checked += 1
        except AssertionError as exc:
            self.violations.append(f"{where}: {exc}")
