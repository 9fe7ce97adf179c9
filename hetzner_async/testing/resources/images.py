"""``/images``: the catalog's system images, and the project's snapshots and backups.

Snapshots and backups are made by ``POST /servers/{id}/actions/create_image``
(``server_images``); here they are listed, updated, protected and deleted, and a server's
backups are deleted with it (https://docs.hetzner.cloud/reference/cloud#images).
"""

from __future__ import annotations

from aiohttp import web

from ..core import (
    Creation,
    Json,
    Kind,
    Project,
    Registry,
    action_routes,
    delete_handler,
    get_handler,
    json_response,
    list_handler,
    optional,
    path_resource,
    project_of,
    protection_handler,
    read_body,
    valid_labels,
)
from ..core.listing import boolean, equals, one_of
from ..core.registry import Commit
from ..core.table import Fields
from ..errors import ApiError, invalid_input
from . import catalog_data

__all__ = ["IMAGE", "OWN_TYPES", "Backups", "find_image", "register"]

TYPES = ("system", "app", "snapshot", "backup")
#: The types of image a project makes itself (the others belong to the catalog).
OWN_TYPES = ("snapshot", "backup")
STATUSES = ("available", "creating", "unavailable")
ARCHITECTURES = ("x86", "arm")


def _own(image: Json) -> bool:
    return image["type"] in OWN_TYPES


# ``GET /_fake/state`` lists the project's snapshots and backups, not the catalog's images.
IMAGE = Kind("image", "images", first_id=300_000_001, protection=("delete",), in_state=_own)


class Backups:
    """Which backups each server has (a state part, kept current by ``_follow``)."""

    def __init__(self, project: Project) -> None:
        self.of_server: dict[int, set[int]] = {}
        self._server_of: dict[int, int] = {}

    def clear(self) -> None:
        """Forget every backup."""
        self.of_server.clear()
        self._server_of.clear()

    def ids(self, server_id: int) -> list[int]:
        """Return the ids of a server's backups, oldest first."""
        return sorted(self.of_server.get(server_id, ()))

    def forget(self, image_id: int) -> None:
        """Drop an image from the index."""
        server_id = self._server_of.pop(image_id, None)
        if server_id is not None:
            ids = self.of_server[server_id]
            ids.discard(image_id)
            if not ids:
                del self.of_server[server_id]

    def note(self, image_id: int, image: Json | None) -> None:
        """Index an image under the server it is bound to (none: forget it)."""
        self.forget(image_id)
        server_id = None if image is None else image.get("bound_to")
        if isinstance(server_id, int):
            self._server_of[image_id] = server_id
            self.of_server.setdefault(server_id, set()).add(image_id)


class SystemImages:
    """Fills a project's image table with the catalog's system images."""

    def __init__(self, project: Project) -> None:
        table = project.tables[IMAGE.name]
        for image in catalog_data.images():
            table[image["id"]] = image


def find_image(
    project: Project, ref: object, field: str, architecture: str, *, disk: float | None = None
) -> Json:
    """Resolve an image a server can boot: by ID, or by name for the given CPU architecture.

    Names repeat once per architecture. An image still being created cannot be used, and
    one whose disk is larger than ``disk`` (GB) does not fit.
    """
    image = project.resolve(
        IMAGE.name, ref, field, where=lambda image: image["architecture"] == architecture
    )
    if image["status"] != "available":
        raise invalid_input({field: [f"image {image['id']} is {image['status']}, not available"]})
    if disk is not None:
        _check_fits(image, disk, field)
    return image


def _check_fits(image: Json, disk: float, field: str) -> None:
    if image["disk_size"] > disk:
        message = f"the image's disk ({image['disk_size']} GB) is larger than the server's ({disk})"
        raise invalid_input({field: [message]})


def _refuse_unless(image: Json, types: tuple[str, ...], what: str) -> None:
    # The spec names no error code for these refusals; ``unsupported_error`` is the API's code
    # for "the resource does not support the action".
    if image["type"] not in types:
        allowed = " and ".join(types)
        raise ApiError(
            422,
            "unsupported_error",
            f"only images of type {allowed} can be {what}; image {image['id']} is {image['type']}",
        )


async def update_image(request: web.Request) -> web.Response:
    """PUT /images/{id}: description, labels, and ``type: snapshot`` to keep a backup."""
    project = project_of(request)
    image = path_resource(request, IMAGE.name)
    body = await read_body(request)
    description: str | None = optional(body, "description", str)
    new_type: str | None = optional(body, "type", str)
    labels = valid_labels(body)
    if new_type is not None and new_type != "snapshot":
        raise invalid_input({"type": ["an image can only be converted to 'snapshot'"]})
    _refuse_unless(image, OWN_TYPES, "updated")
    changed = []
    if description is not None:
        image["description"] = description
        changed.append("description")
    if labels is not None:
        image["labels"] = labels
        changed.append("labels")
    if new_type is not None and image["type"] != new_type:
        # A backup converted to a snapshot is no longer bound to its server.
        image["type"] = new_type
        image["bound_to"] = None
        changed += ["type", "bound_to"]
    if changed:
        project.touch(IMAGE.name, image["id"], *changed)
    return json_response({IMAGE.name: image})


def change_protection_handler() -> web.RouteDef:
    """Return ``POST /images/{id}/actions/change_protection``: snapshots only."""
    generic = protection_handler(IMAGE)

    async def handler(request: web.Request) -> web.Response:
        _refuse_unless(path_resource(request, IMAGE.name), ("snapshot",), "protected")
        return await generic(request)

    handler.__doc__ = generic.__doc__
    return web.post(f"{IMAGE.item_path}/actions/change_protection", handler)


def _deletable(project: Project, image_id: int, image: Json) -> None:
    _refuse_unless(image, OWN_TYPES, "deleted")


def _fits_on_create(project: Project, creation: Creation) -> Commit | None:
    """Refuse a new server whose type's disk is smaller than its image's."""
    server = creation.resource
    _check_fits(server["image"], server["server_type"]["disk"], "image")
    return None


def _follow(project: Project, image_id: int, fields: Fields) -> None:
    if fields is None or "bound_to" in fields:
        project.part(Backups).note(image_id, project.tables[IMAGE.name].get(image_id))


def _reindex(project: Project, everything: bool) -> None:
    if everything:
        backups = project.part(Backups)
        backups.clear()
        for image_id, image in project.tables[IMAGE.name].items():
            backups.note(image_id, image)


def _delete_backups(project: Project, server_id: int, server: Json) -> None:
    """Delete a server's backups; its snapshots stay (``created_from`` still names it)."""
    for image_id in project.part(Backups).ids(server_id):
        project.remove(IMAGE.name, image_id)


def _not_deprecated(image: Json, include_deprecated: bool) -> bool:
    return include_deprecated or image.get("deprecated") is None


def register(registry: Registry) -> None:
    """Add images: their table and index, their routes, and their part in a server's life."""
    registry.kind(IMAGE)
    registry.part(Backups)  # before SystemImages: storing an image updates the index
    registry.part(SystemImages)
    registry.on_change(IMAGE.name, _follow)
    registry.on_refresh(_reindex)
    registry.before_delete(IMAGE.name, _deletable)
    registry.on_create("server", (), _fits_on_create)
    registry.on_delete("server", _delete_backups)
    listing = list_handler(
        IMAGE,
        one_of("type", TYPES),
        one_of("status", STATUSES),
        equals("bound_to"),
        one_of("architecture", ARCHITECTURES),
        boolean("include_deprecated", _not_deprecated, default=False),
    )
    registry.routes(
        [
            web.get("/v1/images", listing),
            web.get(IMAGE.item_path, get_handler(IMAGE)),
            web.put(IMAGE.item_path, update_image),
            web.delete(IMAGE.item_path, delete_handler(IMAGE)),
            change_protection_handler(),
            *action_routes(IMAGE),
        ]
    )
