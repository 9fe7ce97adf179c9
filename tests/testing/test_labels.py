"""Label selectors: every documented form, commas inside parentheses, and bad input."""

import pytest

from hetzner_async.testing.labels import (
    LabelSelectorError,
    Operator,
    Requirement,
    label_errors,
    parse_selector,
    split_expressions,
)

LABELS = {"env": "prod", "tier": "web", "example.com/team": "core", "flag": ""}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("", True),
        ("env=prod", True),
        ("env==prod", True),
        ("env = prod", True),
        ("env=staging", False),
        ("env!=staging", True),
        ("env!=prod", False),
        ("missing!=x", True),
        ("env", True),
        ("missing", False),
        ("!missing", True),
        ("!env", False),
        ("env in (prod,staging)", True),
        ("env in (staging, dev)", False),
        ("env notin (staging,dev)", True),
        ("env notin (prod)", False),
        ("missing notin (a,b)", True),
        ("missing in (a,b)", False),
        ("example.com/team=core", True),
        ("flag", True),
        ("flag=", True),
        ("env=prod,tier=web", True),
        ("env=prod,tier=db", False),
        ("env in (prod,staging),tier notin (db,cache),!legacy", True),
        ("tier in (db,web),env in (dev,prod)", True),
        ("tier in (db,cache),env in (dev,prod)", False),
    ],
)
def test_selector_matches(selector: str, expected: bool) -> None:
    assert parse_selector(selector).matches(LABELS) is expected


@pytest.mark.parametrize(
    ("selector", "requirement"),
    [
        ("a=b", Requirement("a", Operator.EQUALS, frozenset({"b"}))),
        ("a==b", Requirement("a", Operator.EQUALS, frozenset({"b"}))),
        ("a!=b", Requirement("a", Operator.NOT_EQUALS, frozenset({"b"}))),
        ("a", Requirement("a", Operator.EXISTS)),
        ("!a", Requirement("a", Operator.NOT_EXISTS)),
        ("a in (x, y)", Requirement("a", Operator.IN, frozenset({"x", "y"}))),
        ("a notin (x,y)", Requirement("a", Operator.NOT_IN, frozenset({"x", "y"}))),
    ],
)
def test_selector_parses_each_form(selector: str, requirement: Requirement) -> None:
    assert parse_selector(selector).requirements == (requirement,)


def test_split_keeps_commas_inside_parentheses() -> None:
    assert split_expressions("a in (x,y),b,c notin (z , w)") == [
        "a in (x,y)",
        "b",
        "c notin (z , w)",
    ]


@pytest.mark.parametrize(
    "selector",
    [
        "a=b,,c=d",
        "a in (x,y",
        "a in x,y)",
        "a in ()",
        "a in (x,)",
        "=b",
        "a=b=c",
        "a===b",
        "a b",
        "a in ((x))",
        "-bad=x",
        "a=-bad-",
        ",",
    ],
)
def test_invalid_selectors_raise(selector: str) -> None:
    with pytest.raises(LabelSelectorError):
        parse_selector(selector)


@pytest.mark.parametrize(
    ("labels", "ok"),
    [
        ({}, True),
        ({"env": "prod", "example.com/my": "label", "just-a-key": ""}, True),
        ({"hetzner.cloud/x": "y"}, False),
        ({"-bad": "x"}, False),
        ({"k": "-bad"}, False),
        ({"k": "x" * 64}, False),
        ({"k": 1}, False),
        (["not", "a", "map"], False),
    ],
)
def test_label_validation(labels: object, ok: bool) -> None:
    assert (label_errors(labels) == []) is ok
