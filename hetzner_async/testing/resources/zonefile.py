"""BIND zone files (RFC 1034/1035) for the fake's zones: parse an import, render an export.

What the API documents for an import (https://docs.hetzner.cloud/reference/cloud#zones, "Zone
file import"): ``$ORIGIN``, if present, is the zone's name with a final dot; ``$TTL``, if
present, becomes the zone's default TTL; only ``IN`` records; an SOA record and NS records for
the assigned nameservers must be present; a comment after a record is kept as the record's
comment, a comment on a line of its own is discarded. Parentheses continue a record over
several lines. A record without a TTL follows the zone's default (its RRSet's ``ttl`` is
null). ``render`` writes what ``parse`` reads back to the same RRSets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..core import Json
from ..errors import ApiError, invalid_input
from .dns_rules import ASSIGNED, MAX_TTL, MIN_TTL, TYPES, rrset_name_problem, value_problem

__all__ = ["ParsedZone", "parse", "render"]

_CLASSES = ("IN", "CH", "HS", "CS")
_TTL = re.compile(r"^(?:\d+|(?:\d+[smhdwSMHDW])+)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass
class ParsedZone:
    """An imported zone file: its ``$TTL`` (None if absent) and its RRSets, in file order."""

    ttl: int | None = None
    rrsets: list[Json] = field(default_factory=list)


@dataclass
class _Entry:
    line: int
    inherits_owner: bool
    tokens: list[str]
    comment: str | None


def _error(line: int, message: str) -> ApiError:
    return invalid_input({"zonefile": [f"line {line}: {message}"]})


def _split(text: str, line: int) -> tuple[list[str], str | None]:
    """Split one line into tokens (quoted strings whole, parentheses alone) and its comment."""
    tokens: list[str] = []
    current = ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = index + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            if end >= len(text):
                raise _error(line, "unterminated quoted string")
            current += text[index : end + 1]
            index = end + 1
            continue
        if char == "\\" and index + 1 < len(text):
            current += text[index : index + 2]
            index += 2
            continue
        if char in " \t;()":
            if current:
                tokens.append(current)
                current = ""
            if char == ";":
                return tokens, text[index + 1 :].strip() or None
            if char in "()":
                tokens.append(char)
        else:
            current += char
        index += 1
    if current:
        tokens.append(current)
    return tokens, None


def _entries(text: str) -> Iterator[_Entry]:
    """Yield the logical records and directives of a zone file (comment-only lines dropped)."""
    entry: _Entry | None = None
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        tokens, comment = _split(line, number)
        if depth == 0:
            entry = _Entry(number, line[:1] in (" ", "\t"), [], None)
        assert entry is not None
        for token in tokens:
            if token == "(":
                depth += 1
            elif token == ")":
                depth -= 1
                if depth < 0:
                    raise _error(number, "')' without '('")
            else:
                entry.tokens.append(token)
        if entry.comment is None:
            entry.comment = comment
        if depth == 0 and entry.tokens:
            yield entry
    if depth:
        raise _error(entry.line if entry else 0, "'(' is never closed")


def _ttl(token: str, line: int) -> int:
    if token.isdigit():
        seconds = int(token)
    else:
        seconds = sum(
            int(amount) * _UNITS[unit.lower()]
            for amount, unit in re.findall(r"(\d+)([a-zA-Z])", token)
        )
    if not MIN_TTL <= seconds <= MAX_TTL:
        raise _error(line, f"TTL must be from {MIN_TTL} to {MAX_TTL} seconds")
    return seconds


def _relative(owner: str, zone: str, line: int) -> str:
    name = owner.lower()
    if name != "@" and name.endswith("."):
        absolute = name[:-1]
        if absolute == zone:
            name = "@"
        elif absolute.endswith(f".{zone}"):
            name = absolute[: -len(zone) - 1]
        else:
            raise _error(line, f"{owner} is outside the zone {zone}")
    problem = rrset_name_problem(name, zone)
    if problem is not None:
        raise _error(line, f"name {owner!r} {problem}")
    return name


def _record(entry: _Entry, owner: str | None, zone: str) -> tuple[str, Json, int | None]:
    """Read one record: its owner as written, its RRSet fields, and its TTL if given."""
    tokens = list(entry.tokens)
    if not entry.inherits_owner:
        owner = tokens.pop(0)
    if owner is None:
        raise _error(entry.line, "the first record needs a name")
    ttl: int | None = None
    klass: str | None = None
    while tokens:
        token = tokens[0]
        if klass is None and token.upper() in _CLASSES:
            klass = token.upper()
        elif ttl is None and _TTL.match(token):
            ttl = _ttl(token, entry.line)
        else:
            break
        tokens.pop(0)
    if klass not in (None, "IN"):
        raise _error(entry.line, f"only IN records are allowed, not {klass}")
    if not tokens:
        raise _error(entry.line, "the record has no type")
    kind = tokens.pop(0).upper()
    if kind not in TYPES:
        raise _error(entry.line, f"record type {kind} is not supported")
    if not tokens:
        raise _error(entry.line, "the record has no data")
    value = " ".join(tokens)
    problem = value_problem(kind, value)
    if problem is not None:
        raise _error(entry.line, f"{kind} record {problem}")
    rrset = {"name": _relative(owner, zone, entry.line), "type": kind}
    record: Json = {"value": value}
    if entry.comment is not None:
        record["comment"] = entry.comment
    return owner, rrset | {"records": [record]}, ttl


def parse(text: str, zone: str) -> ParsedZone:
    """Parse a zone file for ``zone``; raise ``invalid_input`` (field ``zonefile``) if bad."""
    parsed = ParsedZone()
    by_key: dict[tuple[str, str], Json] = {}
    lines: dict[tuple[str, str], int] = {}
    owner: str | None = None
    for entry in _entries(text):
        head = entry.tokens[0]
        if head.startswith("$") and not entry.inherits_owner:
            directive = head.upper()
            if directive == "$ORIGIN" and len(entry.tokens) == 2:
                if entry.tokens[1].lower() != f"{zone}.":
                    raise _error(entry.line, f"$ORIGIN must be {zone}.")
            elif directive == "$TTL" and len(entry.tokens) == 2:
                parsed.ttl = _ttl(entry.tokens[1], entry.line)
            else:
                raise _error(entry.line, f"directive {head} is not supported")
            continue
        owner, rrset, ttl = _record(entry, owner, zone)
        key = (rrset["name"], rrset["type"])
        found = by_key.get(key)
        if found is None:
            by_key[key] = found = rrset | {"ttl": ttl, "records": []}
            lines[key] = entry.line
            parsed.rrsets.append(found)
        elif found["ttl"] != ttl:
            raise _error(entry.line, f"the records of {key[0]} {key[1]} have different TTLs")
        if all(r["value"] != rrset["records"][0]["value"] for r in found["records"]):
            found["records"].append(rrset["records"][0])
    _check_zone(by_key, lines)
    return parsed


def _check_zone(by_key: dict[tuple[str, str], Json], lines: dict[tuple[str, str], int]) -> None:
    soa = by_key.get(("@", "SOA"))
    if soa is None:
        raise invalid_input({"zonefile": ["an SOA record for the zone apex is required"]})
    if len(soa["records"]) != 1:
        raise _error(lines[("@", "SOA")], "the zone has more than one SOA record")
    ns = {r["value"].lower() for r in by_key.get(("@", "NS"), {"records": []})["records"]}
    missing = [server for server in ASSIGNED["primary"] if server not in ns]
    if missing:
        message = f"NS records for the assigned nameservers are required: {', '.join(missing)}"
        raise invalid_input({"zonefile": [message]})
    names: dict[str, set[str]] = {}
    for (name, kind), rrset in by_key.items():
        names.setdefault(name, set()).add(kind)
        if kind == "SOA" and name != "@":
            raise _error(lines[(name, kind)], "an SOA record belongs to the zone apex")
        if kind == "CNAME" and len(rrset["records"]) > 1:
            raise _error(lines[(name, kind)], "a CNAME RRSet holds exactly one record")
    for name, kinds in names.items():
        if "CNAME" in kinds and len(kinds) > 1:
            raise _error(lines[(name, "CNAME")], f"{name} has a CNAME and other records")


def _line(name: str, kind: str, ttl: int | None, record: Json) -> str:
    fields = [name, "IN", *([] if ttl is None else [str(ttl)]), kind, record["value"]]
    comment = record.get("comment")
    text = "\t".join(fields)
    if comment:
        # A comment runs to the end of its line.
        text += " ; " + " ".join(comment.split())
    return text


def _order(rrset: Json) -> tuple[bool, str, str]:
    return rrset["name"] != "@", rrset["name"], rrset["type"]


def render(zone: str, ttl: int, rrsets: list[Json]) -> str:
    """Write a zone file: directives, the SOA, the apex NS records, then every other RRSet."""
    soa = [r for r in rrsets if r["type"] == "SOA"]
    ns = [r for r in rrsets if r["type"] == "NS" and r["name"] == "@"]
    rest = sorted((r for r in rrsets if r not in soa and r not in ns), key=_order)
    sections = [[f"$ORIGIN\t{zone}.", f"$TTL\t{ttl}"]]
    for group in (soa, ns, rest):
        lines = [_line(r["name"], r["type"], r["ttl"], rec) for r in group for rec in r["records"]]
        if lines:
            sections.append(lines)
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"
