"""Label selectors (parse and match) and label validation, as documented by Hetzner.

https://docs.hetzner.cloud/reference/cloud#label-selector
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "LabelSelector",
    "LabelSelectorError",
    "Operator",
    "Requirement",
    "label_errors",
    "parse_selector",
    "split_expressions",
]

# The reference regexes of hcloud-python's helpers/labels.py.
_KEY = re.compile(
    r"^([a-z0-9A-Z]((?:[\-_.]|[a-z0-9A-Z]){0,253}[a-z0-9A-Z])?/)?"
    r"[a-z0-9A-Z]((?:[\-_.]|[a-z0-9A-Z]|){0,61}[a-z0-9A-Z])?$"
)
_VALUE = re.compile(r"^(([a-z0-9A-Z](?:[\-_.]|[a-z0-9A-Z]){0,61})?[a-z0-9A-Z]$|$)")
_RESERVED_PREFIX = "hetzner.cloud/"

_TOKEN = r"[^\s!=(),]+"
_SET = re.compile(rf"^(?P<key>{_TOKEN})\s+(?P<op>in|notin)\s*\((?P<values>[^()]*)\)$")
_COMPARE = re.compile(rf"^(?P<key>{_TOKEN})\s*(?P<op>==|!=|=)\s*(?P<value>[^\s!=(),]*)$")
_ABSENT = re.compile(rf"^!\s*(?P<key>{_TOKEN})$")
_PRESENT = re.compile(rf"^(?P<key>{_TOKEN})$")


class LabelSelectorError(ValueError):
    """The label selector does not parse."""


class Operator(StrEnum):
    """The relation one requirement of a selector tests."""

    EQUALS = "="
    NOT_EQUALS = "!="
    EXISTS = "exists"
    NOT_EXISTS = "!exists"
    IN = "in"
    NOT_IN = "notin"


@dataclass(frozen=True)
class Requirement:
    """One comma-separated expression of a selector, e.g. ``env in (prod,staging)``."""

    key: str
    operator: Operator
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Tell whether a label map satisfies this requirement."""
        present = self.key in labels
        value = labels.get(self.key)
        match self.operator:
            case Operator.EXISTS:
                return present
            case Operator.NOT_EXISTS:
                return not present
            case Operator.EQUALS | Operator.IN:
                return present and value in self.values
            case Operator.NOT_EQUALS | Operator.NOT_IN:
                # As in Kubernetes, whose syntax Hetzner borrows: an absent key also matches.
                return not present or value not in self.values


@dataclass(frozen=True)
class LabelSelector:
    """A parsed selector: the AND of its requirements (an empty selector matches everything)."""

    requirements: tuple[Requirement, ...]

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Tell whether a label map satisfies every requirement."""
        return all(req.matches(labels) for req in self.requirements)


def split_expressions(text: str) -> list[str]:
    """Split a selector on the commas that are not inside parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
            if depth > 1:
                raise LabelSelectorError("nested parentheses")
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise LabelSelectorError("unbalanced ')'")
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise LabelSelectorError("unbalanced '('")
    parts.append("".join(current))
    return parts


def _check_key(key: str) -> str:
    if not _KEY.match(key):
        raise LabelSelectorError(f"invalid label key {key!r}")
    return key


def _check_value(value: str) -> str:
    if not _VALUE.match(value):
        raise LabelSelectorError(f"invalid label value {value!r}")
    return value


def _parse_expression(expr: str) -> Requirement:
    if m := _SET.match(expr):
        values = [v.strip() for v in m["values"].split(",")]
        if not values or any(v == "" for v in values):
            raise LabelSelectorError(f"empty value in {expr!r}")
        op = Operator.IN if m["op"] == "in" else Operator.NOT_IN
        return Requirement(_check_key(m["key"]), op, frozenset(_check_value(v) for v in values))
    if m := _COMPARE.match(expr):
        op = Operator.NOT_EQUALS if m["op"] == "!=" else Operator.EQUALS
        return Requirement(_check_key(m["key"]), op, frozenset({_check_value(m["value"])}))
    if m := _ABSENT.match(expr):
        return Requirement(_check_key(m["key"]), Operator.NOT_EXISTS)
    if m := _PRESENT.match(expr):
        return Requirement(_check_key(m["key"]), Operator.EXISTS)
    raise LabelSelectorError(f"cannot parse {expr!r}")


def parse_selector(text: str) -> LabelSelector:
    """Parse a selector such as ``env=prod,tier notin (db,cache),!legacy``."""
    if not text.strip():
        return LabelSelector(())
    expressions = [part.strip() for part in split_expressions(text)]
    if any(not expr for expr in expressions):
        raise LabelSelectorError("empty expression")
    return LabelSelector(tuple(_parse_expression(expr) for expr in expressions))


def label_errors(labels: Any) -> list[str]:
    """Return what is wrong with a label map (an empty list when it is valid)."""
    if not isinstance(labels, dict):
        return ["must be an object of string keys to string values"]
    problems: list[str] = []
    for key, value in labels.items():
        if not isinstance(value, str):
            problems.append(f"value of {key!r} must be a string")
            continue
        if not _KEY.match(key):
            problems.append(f"invalid label key {key!r}")
        elif key.startswith(_RESERVED_PREFIX):
            problems.append(f"label key prefix {_RESERVED_PREFIX!r} is reserved")
        if not _VALUE.match(value):
            problems.append(f"invalid label value {value!r}")
    return problems
