"""The edges of the general input checks: each limit on both sides, and what each error names.

An error must name the field (``ValidationError.field``) and say what is wrong in words a
caller can act on: the offending value or the limit. Whole sentences are not pinned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hetzner_async._validate import (
    check_firewall_name,
    check_firewall_rules,
    check_id,
    check_labels,
    check_not_empty,
    check_server_name,
    check_user_data,
)
from hetzner_async.models import FirewallRule

from .refusals import refused, refused_naming

# 63 + 63 + 63 + 61 characters and 3 dots: the longest host name RFC 1123 allows.
NAME_253 = ".".join(["a" * 63] * 3 + ["a" * 61])


def rule(**kw: Any) -> FirewallRule:
    fields: dict[str, Any] = {"direction": "in", "protocol": "tcp", "port": "80"}
    fields.update(kw)
    return FirewallRule(**fields)


@pytest.mark.parametrize("name", [NAME_253, "a", "a.b"])
def test_server_names_up_to_253_characters_pass(name: str) -> None:
    assert check_server_name(name) == name


def test_a_254_character_server_name_is_refused_although_every_label_is_valid() -> None:
    name = ".".join(["a" * 63] * 3 + ["a" * 62])
    assert len(name) == 254
    error = refused(lambda: check_server_name(name))
    assert (error.field, "RFC 1123" in error.message) == ("name", True)


@pytest.mark.parametrize("port", ["1", "65535", "1-65535", "80-80", "1024-5000"])
def test_ports_and_ranges_within_1_to_65535_pass(port: str) -> None:
    assert check_firewall_rules([rule(port=port)])


@pytest.mark.parametrize("port", ["0", "65536", "0-80", "1-65536", "99999", "80-", "-80", ""])
def test_ports_outside_1_to_65535_are_refused(port: str) -> None:
    error = refused(lambda: check_firewall_rules([rule(port=port)]))
    assert error.field == "rules[0].port"
    assert repr(port) in error.message
    assert "1-65535" in error.message


def test_exactly_100_ips_pass_and_101_do_not() -> None:
    ips = [f"10.0.{i}.0/24" for i in range(101)]
    assert check_firewall_rules([rule(source_ips=ips[:100])])
    out = rule(direction="out", destination_ips=ips)
    error = refused(lambda: check_firewall_rules([out]))
    assert error.field == "rules[0].destination_ips"
    assert "101" in error.message
    assert "at most 100" in error.message


@pytest.mark.parametrize("ip", ["10.0.0.1/24", "10.0.0.1", "2001:db8::1/32", "::1"])
def test_a_cidr_with_host_bits_or_a_bare_address_is_left_to_the_api(ip: str) -> None:
    # The API normalizes these itself; refusing them here would be stricter than the API.
    assert check_firewall_rules([rule(source_ips=[ip])])


def test_a_bad_destination_is_named_by_its_own_field() -> None:
    out = rule(direction="out", destination_ips=["10.0.0.0/8", "nope"])
    error = refused(lambda: check_firewall_rules([out]))
    assert error.field == "rules[0].destination_ips"
    assert "'nope'" in error.message
    assert "CIDR" in error.message


def test_the_rule_is_named_by_its_position() -> None:
    error = refused(lambda: check_firewall_rules([rule(), rule(), rule(port=None)]))
    assert error.field == "rules[2].port"


@pytest.mark.parametrize(
    ("call", "field", "fragments"),
    [
        (lambda: check_id("server_id", 0), "server_id", ["positive integer", "0"]),
        (lambda: check_not_empty("description", " \t"), "description", ["non-empty"]),
        (lambda: check_not_empty("description", None), "description", ["non-empty"]),
        (lambda: check_server_name("web_1"), "name", ["'web_1'", "RFC 1123", "1-63 characters"]),
        (lambda: check_labels(["env"]), "labels", ["mapping"]),
        (lambda: check_labels({"-k": "v"}), "labels", ["'-k'", "up to 63", "letters, digits"]),
        (lambda: check_labels({"k": "-v"}), "labels", ["'-v'", "up to 63", "'-', '_' or '.'"]),
        (lambda: check_user_data("x" * 32769), "user_data", ["32769", "32768"]),
        (lambda: check_firewall_name(""), "name", ["non-empty"]),
        (lambda: check_firewall_name("x" * 129), "name", ["129", "128"]),
        (lambda: check_firewall_rules([rule()] * 51), "rules", ["51", "50"]),
        (lambda: check_firewall_rules([rule(direction="both")]), "rules[0].direction", ["'both'"]),
        (lambda: check_firewall_rules([rule(protocol="sctp")]), "rules[0].protocol", ["'sctp'"]),
        (
            lambda: check_firewall_rules([rule(protocol="gre", port="80")]),
            "rules[0].port",
            ["only tcp and udp", "gre"],
        ),
        (
            lambda: check_firewall_rules([rule(protocol="udp", port=None)]),
            "rules[0].port",
            ["udp rule needs a port"],
        ),
        (
            lambda: check_firewall_rules([rule(destination_ips=["10.0.0.0/8"])]),
            "rules[0].destination_ips",
            ["'in' rule takes source_ips"],
        ),
        (
            lambda: check_firewall_rules([rule(direction="out", source_ips=["10.0.0.0/8"])]),
            "rules[0].source_ips",
            ["'out' rule takes destination_ips"],
        ),
        (
            lambda: check_firewall_rules([rule(description="x" * 256)]),
            "rules[0].description",
            ["255"],
        ),
    ],
)
def test_each_error_names_the_field_and_what_is_wrong(
    call: Callable[[], object], field: str, fragments: list[str]
) -> None:
    error = refused_naming(call, field, fragments)
    assert str(error) == f"{field}: {error.message}"
