"""The converter policy, written and reported: ``None`` left out, the messages of a misfit.

Checked on converters built inside each test, as ``test_convert_edges`` explains.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import cattrs
import pytest

from hetzner_async._convert import structure, unstructure
from hetzner_async.errors import UnexpectedResponseError
from hetzner_async.models import FirewallRule, PrivateNet, ServerFirewall, SSHKey

from .payloads import ONLY_PAGE, ONLY_PAGE_SENT, SSH_KEY
from .probe import PROBE, READ

pytestmark = pytest.mark.usefixtures("fresh_warnings")


def test_a_list_item_that_is_no_object_is_reported_by_identity(tolerant: cattrs.Converter) -> None:
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(tolerant, [SSH_KEY, 1], list[SSHKey])
    assert raised.value.message == (
        "response does not match list[SSHKey]: SSHKey: a number where an object was expected"
    )


# --- unstructuring --------------------------------------------------------------------------------

UNSTRUCTURED = [
    pytest.param(
        FirewallRule(direction="in", protocol="icmp", source_ips=["0.0.0.0/0"]),
        {"direction": "in", "protocol": "icmp", "source_ips": ["0.0.0.0/0"], "destination_ips": []},
        id="None defaults left out, empty lists kept",
    ),
    pytest.param(ServerFirewall(id=3), {"id": 3}, id="set optional key kept"),
    pytest.param(PrivateNet(), {"alias_ips": []}, id="empty list default kept"),
    pytest.param(ONLY_PAGE, ONLY_PAGE_SENT, id="required nullable kept"),
    pytest.param(
        READ,
        {**PROBE, "at": "2016-01-30T23:55:00Z"},
        id="every type, UTC as Z",
    ),
    pytest.param(attrs.evolve(READ, note=None), {k: v for k, v in PROBE.items() if k != "note"}),
]


@pytest.mark.parametrize(("obj", "expected"), UNSTRUCTURED)
def test_unstructure_leaves_out_none_where_it_is_the_default(
    tolerant: cattrs.Converter, obj: object, expected: dict[str, Any]
) -> None:
    assert unstructure(tolerant, obj) == expected


def test_a_response_unstructures_to_its_own_shape(strict: cattrs.Converter) -> None:
    assert unstructure(strict, structure(strict, SSH_KEY, SSHKey)) == SSH_KEY


# --- the messages of UnexpectedResponseError ------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "cls", "message"),
    [
        pytest.param(
            {**SSH_KEY, "id": "2323"},
            SSHKey,
            "response does not match SSHKey: invalid value for type, expected int @ $.id",
            id="field of the wrong type",
        ),
        pytest.param(
            "yesterday",
            datetime,
            # The exception's own text would quote the value: only its class is named.
            "response does not match datetime: invalid value (ValueError) @ $",
            id="value at the top",
        ),
        pytest.param(
            {"a": {**SSH_KEY, "name": None}, "b": {**SSH_KEY, "fingerprint": 1}},
            dict[str, SSHKey],
            "response does not match dict[str, SSHKey]: "
            "invalid value for type, expected str @ $['a'].name; "
            "invalid value for type, expected str @ $['b'].fingerprint",
            id="two problems",
        ),
    ],
)
def test_the_error_names_the_type_and_each_failing_path(
    strict: cattrs.Converter, payload: object, cls: Any, message: str
) -> None:
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(strict, payload, cls)
    assert raised.value.message == message


def test_five_problems_are_all_named_without_a_remainder(strict: cattrs.Converter) -> None:
    broken = ["name", "fingerprint", "public_key", "labels", "created"]
    payload = {**SSH_KEY, **dict.fromkeys(broken)}
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(strict, payload, SSHKey)
    assert raised.value.message.count(" @ $.") == 5
    assert "more" not in raised.value.message


def test_a_missing_identity_is_an_unexpected_response(tolerant: cattrs.Converter) -> None:
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(tolerant, {k: v for k, v in SSH_KEY.items() if k != "id"}, SSHKey)
    error = raised.value
    assert error.status == 200
    assert error.code == "unexpected_response"
    assert error.message == "response does not match SSHKey: SSHKey.id: the API did not send it"
