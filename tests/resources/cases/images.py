"""Wire cases of ``hz.images``."""

from __future__ import annotations

from ..._spec import response_example
from ..._synth import synthesized
from ._core import PAGE, WireCase, action_listing_cases, page_of

IMAGE = synthesized("GET", "/images/4711")
IMAGES = page_of("images", IMAGE["image"])

CASES = [
    WireCase(
        "images.list",
        (),
        {
            "type": ["snapshot", "backup"],
            "status": "available",
            "bound_to": [42, 43],
            "include_deprecated": True,
            "name": "ubuntu-24.04",
            "label_selector": "run=42",
            "architecture": "arm",
            "sort": ["created:desc"],
        },
        "GET",
        "/v1/images",
        [
            ("type", "snapshot"),
            ("type", "backup"),
            ("status", "available"),
            ("bound_to", "42"),
            ("bound_to", "43"),
            ("include_deprecated", "true"),
            ("name", "ubuntu-24.04"),
            ("label_selector", "run=42"),
            ("architecture", "arm"),
            ("sort", "created:desc"),
            *PAGE,
        ],
        None,
        200,
        IMAGES,
    ),
    WireCase(
        "images.iter",
        (),
        {"type": "system", "bound_to": 42},
        "GET",
        "/v1/images",
        [("type", "system"), ("bound_to", "42"), *PAGE],
        None,
        200,
        IMAGES,
    ),
    WireCase("images.get", (4711,), {}, "GET", "/v1/images/4711", [], None, 200, IMAGE),
    WireCase(
        "images.get_by_name",
        ("ubuntu-24.04",),
        {"architecture": "x86", "include_deprecated": False},
        "GET",
        "/v1/images",
        [
            ("include_deprecated", "false"),
            ("name", "ubuntu-24.04"),
            ("architecture", "x86"),
            *PAGE,
        ],
        None,
        200,
        IMAGES,
    ),
    WireCase(
        "images.update",
        (4711,),
        {"description": "golden", "type": "snapshot", "labels": {"run": "42"}},
        "PUT",
        "/v1/images/4711",
        [],
        {"description": "golden", "type": "snapshot", "labels": {"run": "42"}},
        200,
        response_example("PUT", "/images/4711"),
    ),
    WireCase("images.delete", (4711,), {}, "DELETE", "/v1/images/4711", [], None, 204, None),
    WireCase(
        "images.change_protection",
        (4711,),
        {"delete": False},
        "POST",
        "/v1/images/4711/actions/change_protection",
        [],
        {"delete": False},
        201,
        response_example("POST", "/images/4711/actions/change_protection"),
    ),
    *action_listing_cases("images", "images", 4711),
]
