"""Response shapes of ``/volumes``."""

from __future__ import annotations

from hetzner_async.models import CreateVolumeResult, Volume

from ._core import ACTION, Shape, action_listings, page

VOLUME = {"volume": Volume}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/volumes"): page("volumes", Volume),
    ("post", "/volumes"): CreateVolumeResult,
    ("get", "/volumes/{id}"): VOLUME,
    ("put", "/volumes/{id}"): VOLUME,
    **{
        ("post", f"/volumes/{{id}}/actions/{name}"): ACTION
        for name in ("attach", "detach", "resize", "change_protection")
    },
    **action_listings("/volumes"),
}
NO_CONTENT = [("delete", "/volumes/{id}")]
