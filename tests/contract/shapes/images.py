"""Response shapes of ``/images``."""

from __future__ import annotations

from hetzner_async.models import Image

from ._core import ACTION, Shape, action_listings, page

IMAGE = {"image": Image}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/images"): page("images", Image),
    ("get", "/images/{id}"): IMAGE,
    ("put", "/images/{id}"): IMAGE,
    ("post", "/images/{id}/actions/change_protection"): ACTION,
    **action_listings("/images"),
}
NO_CONTENT = [("delete", "/images/{id}")]
