"""``/images``: the system images of the catalog (list with every filter, get, action lists).

Snapshots and backups (``POST /servers/{id}/actions/create_image``), update, delete and
``change_protection`` belong here too; they are not served yet.
"""

from __future__ import annotations

from aiohttp import web

from ..core import Json, Kind, Project, Registry, action_routes, get_handler, list_handler
from ..core.listing import boolean, equals, one_of
from . import catalog_data

__all__ = ["IMAGE", "find_image", "register"]

IMAGE = Kind("image", "images", first_id=300_000_001, protection=("delete",), snapshot=False)
TYPES = ("system", "app", "snapshot", "backup")
STATUSES = ("available", "creating", "unavailable")


class SystemImages:
    """Fills a project's image table with the catalog's system images."""

    def __init__(self, project: Project) -> None:
        table = project.tables[IMAGE.name]
        for image in catalog_data.images():
            table[image["id"]] = image


def find_image(project: Project, ref: object, field: str, architecture: str) -> Json:
    """Resolve an image by ID, or by name for the given CPU architecture (names repeat per one)."""
    return project.resolve(
        IMAGE.name, ref, field, where=lambda image: image["architecture"] == architecture
    )


def _not_deprecated(image: Json, include_deprecated: bool) -> bool:
    return include_deprecated or image.get("deprecated") is None


def register(registry: Registry) -> None:
    """Add images, their table and their routes."""
    registry.kind(IMAGE)
    registry.part(SystemImages)
    listing = list_handler(
        IMAGE,
        one_of("type", TYPES),
        one_of("status", STATUSES),
        equals("bound_to"),
        equals("architecture"),
        boolean("include_deprecated", _not_deprecated, default=False),
    )
    registry.routes(
        [
            web.get("/v1/images", listing),
            web.get(IMAGE.item_path, get_handler(IMAGE)),
            *action_routes(IMAGE),
        ]
    )
