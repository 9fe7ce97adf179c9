"""The pure parts of a server create: ``public_net`` and the references' checks."""

from __future__ import annotations

from typing import Any

import pytest

from hetzner_async.errors import ValidationError
from hetzner_async.resources._server_create import check_create_refs, create_public_net


@pytest.mark.parametrize(
    ("args", "public_net"),
    [
        ((None, None, None, None), None),
        ((True, False, None, None), {"enable_ipv4": True, "enable_ipv6": False}),
        ((None, None, 7, None), {"ipv4": 7}),
        ((True, True, 7, 8), {"enable_ipv4": True, "enable_ipv6": True, "ipv4": 7, "ipv6": 8}),
        ((None, False, 7, None), {"enable_ipv6": False, "ipv4": 7}),
    ],
)
def test_public_net(args: tuple[Any, ...], public_net: dict[str, Any] | None) -> None:
    assert create_public_net(*args) == public_net


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((False, None, 7, None), "ipv4"),  # a primary IPv4 while IPv4 is disabled
        ((None, False, None, 8), "ipv6"),
        ((None, None, 0, None), "ipv4"),
        ((None, None, None, "8"), "ipv6"),
    ],
)
def test_contradictory_public_net_is_refused(args: tuple[Any, ...], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        create_public_net(*args)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("fsn1", "fsn1-dc14", None, None, None), "datacenter"),
        ((None, None, [1, 0], None, None), "networks"),
        ((None, None, None, ["5"], None), "volumes"),
        ((None, None, None, None, -1), "placement_group"),
    ],
)
def test_bad_references_are_refused(args: tuple[Any, ...], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_create_refs(*args)
    assert raised.value.field == field


def test_good_references_pass() -> None:
    check_create_refs("fsn1", None, [1, 2], [3], 4)


def test_the_deprecated_datacenter_passes_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match="location"):
        check_create_refs(None, 4, None, None, None)
