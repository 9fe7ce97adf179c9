"""Firewall rules and targets: validate request bodies, return them in response form (pure).

https://docs.hetzner.cloud/reference/cloud#firewalls
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from ..errors import invalid_input
from ..labels import LabelSelectorError, parse_selector

__all__ = ["MAX_NAME", "MAX_RULES", "parse_rules", "parse_targets", "same_target"]

Json = dict[str, Any]

MAX_RULES = 50
MAX_NAME = 128
_PROTOCOLS = ("tcp", "udp", "icmp", "esp", "gre")
_PORT = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")


def _ips(rule: Json, name: str) -> list[str]:
    value = rule.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 100:
        raise invalid_input({"rules": [f"{name} must be an array of at most 100 CIDRs"]})
    out = []
    for text in value:
        try:
            out.append(str(ipaddress.ip_network(text, strict=False)))
        except (TypeError, ValueError):
            raise invalid_input({"rules": [f"{name}: {text!r} is not a CIDR"]}) from None
    return out


def _port(rule: Json, protocol: str) -> str | None:
    port = rule.get("port")
    if protocol not in ("tcp", "udp"):
        if port is not None:
            raise invalid_input(
                {"rules": [f"port is only allowed for tcp and udp, not {protocol}"]}
            )
        return None
    match = _PORT.match(port) if isinstance(port, str) else None
    if match is None:
        raise invalid_input({"rules": ["port is required for tcp and udp (e.g. '80' or '80-85')"]})
    numbers = [int(p) for p in match.groups() if p is not None]
    if any(not 1 <= n <= 65535 for n in numbers) or numbers != sorted(numbers):
        raise invalid_input({"rules": [f"invalid port range {port!r}"]})
    return str(port)


def parse_rules(value: object) -> list[Json]:
    """Validate request rules and return them in response form."""
    if not isinstance(value, list):
        raise invalid_input({"rules": ["must be an array"]})
    if len(value) > MAX_RULES:
        raise invalid_input({"rules": [f"at most {MAX_RULES} rules are allowed"]})
    rules = []
    for rule in value:
        if not isinstance(rule, dict):
            raise invalid_input({"rules": ["each rule must be an object"]})
        direction = rule.get("direction")
        protocol = rule.get("protocol")
        if direction not in ("in", "out"):
            raise invalid_input({"rules": ["direction must be 'in' or 'out'"]})
        if protocol not in _PROTOCOLS:
            raise invalid_input({"rules": [f"protocol must be one of {', '.join(_PROTOCOLS)}"]})
        description = rule.get("description")
        if description is not None and (not isinstance(description, str) or len(description) > 255):
            raise invalid_input({"rules": ["description must be a string of at most 255 chars"]})
        source_ips = _ips(rule, "source_ips")
        destination_ips = _ips(rule, "destination_ips")
        if direction == "in" and not source_ips:
            raise invalid_input({"rules": ["source_ips is required for direction 'in'"]})
        if direction == "out" and not destination_ips:
            raise invalid_input({"rules": ["destination_ips is required for direction 'out'"]})
        rules.append(
            {
                "description": description,
                "direction": direction,
                "protocol": protocol,
                "port": _port(rule, str(protocol)),
                "source_ips": source_ips,
                "destination_ips": destination_ips,
            }
        )
    return rules


def parse_targets(value: object, field: str) -> list[Json]:
    """Validate ``apply_to`` / ``remove_from`` entries and return them in response form."""
    if not isinstance(value, list):
        raise invalid_input({field: ["must be an array"]})
    targets: list[Json] = []
    for entry in value:
        kind = entry.get("type") if isinstance(entry, dict) else None
        if kind == "server":
            server = entry.get("server")
            sid = server.get("id") if isinstance(server, dict) else None
            if not isinstance(sid, int) or isinstance(sid, bool):
                raise invalid_input({field: ["a server entry needs server.id"]})
            targets.append({"type": "server", "server": {"id": sid}})
        elif kind == "label_selector":
            selector = entry.get("label_selector")
            text = selector.get("selector") if isinstance(selector, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise invalid_input(
                    {field: ["a label_selector entry needs label_selector.selector"]}
                )
            try:
                parse_selector(text)
            except LabelSelectorError as exc:
                raise invalid_input({field: [str(exc)]}) from None
            targets.append({"type": "label_selector", "label_selector": {"selector": text}})
        else:
            raise invalid_input({field: ["type must be 'server' or 'label_selector'"]})
    return targets


def same_target(a: Json, b: Json) -> bool:
    """Tell whether two ``applied_to`` entries name the same server or selector."""
    if a["type"] != b["type"]:
        return False
    if a["type"] == "server":
        return bool(a["server"]["id"] == b["server"]["id"])
    return bool(a["label_selector"]["selector"] == b["label_selector"]["selector"])
