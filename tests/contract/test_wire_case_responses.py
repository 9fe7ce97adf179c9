"""Contract: the answer each wire case plays back is one the spec documents, field for field.

The wire cases read their responses with the strict converter; this checks the other side, that
those responses (the spec's examples, or bodies synthesized from its schema) are themselves valid,
so a model cannot pass against a made-up payload.
"""

from __future__ import annotations

import pytest

from .._spec import validate_response
from ..resources.cases import CASES, WireCase


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_wire_case_response_validates_against_the_spec(case: WireCase) -> None:
    validate_response(case.method, case.path, case.status, case.response)
