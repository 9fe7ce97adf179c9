"""Client-side input checks: clear errors before any request."""

from __future__ import annotations

import pytest

from hetzner_async._validate import (
    check_firewall_name,
    check_firewall_rules,
    check_id,
    check_labels,
    check_server_name,
    check_user_data,
)
from hetzner_async.errors import ValidationError
from hetzner_async.models import FirewallRule


@pytest.mark.parametrize(
    "name", ["web-1", "a", "web1.example.com", "A1-b2", "x" * 63, ".".join(["a" * 63] * 3)]
)
def test_valid_server_names(name: str) -> None:
    assert check_server_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "-web",
        "web-",
        "web_1",
        "web 1",
        "web..1",
        "x" * 64,
        "ü",
        ".".join(["a" * 63] * 4 + ["a"]),
    ],
)
def test_invalid_server_names(name: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_server_name(name)
    assert raised.value.field == "name"


@pytest.mark.parametrize(
    "labels",
    [
        {},
        {"env": "prod"},
        {"example.com/my": "label"},
        {"just-a-key": ""},
        {"a.b_c-d": "v.1_2-3"},
        {"k": "x" * 63},
    ],
)
def test_valid_labels(labels: dict[str, str]) -> None:
    assert check_labels(labels) == labels


@pytest.mark.parametrize(
    ("labels", "fragment"),
    [
        ({"-bad": "v"}, "key '-bad'"),
        ({"bad-": "v"}, "key 'bad-'"),
        ({"": "v"}, "key ''"),
        ({"k" * 64: "v"}, "is invalid"),
        ({"hetzner.cloud/x": "v"}, "reserved prefix"),
        ({"k": "-v"}, "value '-v'"),
        ({"k": "x" * 64}, "is invalid"),
        ({"k": "a b"}, "value 'a b'"),
        ({"k": 1}, "value 1"),
    ],
)
def test_invalid_labels(labels: dict[str, str], fragment: str) -> None:
    with pytest.raises(ValidationError, match="labels") as raised:
        check_labels(labels)
    assert fragment in str(raised.value)


def test_user_data_limit_is_32_kib_in_bytes() -> None:
    assert check_user_data("x" * 32768)
    with pytest.raises(ValidationError, match="32768"):
        check_user_data("x" * 32769)
    # Multi-byte characters count as bytes, as the API counts them.
    with pytest.raises(ValidationError):
        check_user_data("é" * 16385)


@pytest.mark.parametrize("value", [0, -1, True, "5", 1.0, None])
def test_invalid_ids(value: object) -> None:
    with pytest.raises(ValidationError):
        check_id("server_id", value)


def test_firewall_name_limit() -> None:
    assert check_firewall_name("x" * 128)
    with pytest.raises(ValidationError):
        check_firewall_name("x" * 129)


def rule(**kw: object) -> FirewallRule:
    fields: dict[str, object] = {"direction": "in", "protocol": "tcp", "port": "80"}
    fields.update(kw)
    return FirewallRule(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "good",
    [
        rule(source_ips=["0.0.0.0/0", "::/0"]),
        rule(port="1024-5000"),
        rule(port="any"),
        rule(protocol="udp", port="53"),
        rule(protocol="icmp", port=None, source_ips=["10.0.0.0/8"]),
        rule(protocol="gre", port=None),
        rule(direction="out", protocol="esp", port=None, destination_ips=["2001:db8::/32"]),
        rule(description="x" * 255),
    ],
)
def test_valid_firewall_rules(good: FirewallRule) -> None:
    assert check_firewall_rules([good]) == [good]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (rule(direction="sideways"), "rules[0].direction"),
        (rule(protocol="sctp"), "rules[0].protocol"),
        (rule(protocol="icmp", port="80"), "rules[0].port"),
        (rule(port=None), "rules[0].port"),
        (rule(port="0"), "rules[0].port"),
        (rule(port="70000"), "rules[0].port"),
        (rule(port="5000-1024"), "rules[0].port"),
        (rule(port="http"), "rules[0].port"),
        (rule(destination_ips=["0.0.0.0/0"]), "rules[0].destination_ips"),
        (rule(direction="out", source_ips=["0.0.0.0/0"]), "rules[0].source_ips"),
        (rule(source_ips=["not-an-ip"]), "rules[0].source_ips"),
        (rule(source_ips=[f"10.0.0.{i}/32" for i in range(101)]), "rules[0].source_ips"),
        (rule(description="x" * 256), "rules[0].description"),
    ],
)
def test_invalid_firewall_rules(bad: FirewallRule, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_firewall_rules([bad])
    assert raised.value.field == field


def test_at_most_50_rules() -> None:
    check_firewall_rules([rule()] * 50)
    with pytest.raises(ValidationError, match="at most 50"):
        check_firewall_rules([rule()] * 51)
