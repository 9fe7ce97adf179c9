"""Which volumes each server has, the space volumes use, and the server fields that follow.

A volume's ``server`` is the single source of truth. From it this part derives each server's
``volumes``, following changes incrementally (a volume stored, removed, or whose ``server`` or
``size`` was touched). It also applies the ``volumes`` of a server's create body, detaches the
volumes of a deleted server (they stay, ``available``), and keeps the GB used per location for
``no_space_left_in_location``.
"""

from __future__ import annotations

from collections import Counter

from ..core import Creation, Fields, Json, Project, Registry
from ..core.registry import Commit
from ..errors import ApiError, invalid_input

__all__ = ["ATTACH", "VolumeLinks", "attach_action", "register"]

VOLUME = "volume"
SERVER = "server"
#: The command of the action that attaches a volume (on create, at server creation, or asked).
ATTACH = "attach_volume"


class VolumeLinks:
    """The volumes of each server, and the GB of volumes in each location (a state part)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.volumes = project.tables[VOLUME]
        #: Server id -> the ids of the volumes attached to it.
        self.by_server: dict[int, set[int]] = {}
        #: Location name -> GB its volumes use; ``limits``: GB a test allows (none: no limit).
        self.used: Counter[str] = Counter()
        self.limits: dict[str, int] = {}
        # What the index last saw of each volume: (server, location, size).
        self._seen: dict[int, tuple[int | None, str, int]] = {}

    # --- following the volumes ----------------------------------------------------------------

    def _forget(self, volume_id: int) -> None:
        seen = self._seen.pop(volume_id, None)
        if seen is None:
            return
        server_id, location, size = seen
        self.used[location] -= size
        if server_id is not None:
            attached = self.by_server.get(server_id)
            if attached is not None:
                attached.discard(volume_id)
                if not attached:
                    del self.by_server[server_id]
            self.project.mark_stale((SERVER, server_id))

    def _note(self, volume_id: int) -> None:
        volume = self.volumes.get(volume_id)
        if volume is None:
            return
        server_id: int | None = volume["server"]
        location: str = volume["location"]["name"]
        size = int(volume["size"])
        self._seen[volume_id] = (server_id, location, size)
        self.used[location] += size
        if server_id is not None:
            self.by_server.setdefault(server_id, set()).add(volume_id)
            self.project.mark_stale((SERVER, server_id))

    def volume_changed(self, volume_id: int, fields: Fields) -> None:
        """Re-index a volume stored, removed, or whose ``server`` or ``size`` changed."""
        if fields is None or "server" in fields or "size" in fields:
            self._forget(volume_id)
            self._note(volume_id)

    def refresh(self, everything: bool) -> None:
        """After in-place edits (``dirty``), rebuild the index from the volumes."""
        if not everything:
            return  # ``volume_changed`` kept it current
        self.by_server.clear()
        self.used.clear()
        self._seen.clear()
        for volume_id in self.volumes:
            self._note(volume_id)

    def _current(self) -> None:
        # Handlers run before the request's ``refresh``: after in-place edits, rebuild first.
        if self.project.dirty:
            self.refresh(True)

    # --- questions ----------------------------------------------------------------------------

    def of_server(self, server_id: int) -> list[int]:
        """Return the ids of the volumes attached to a server, lowest first."""
        self._current()
        return sorted(self.by_server.get(server_id, ()))

    def check_space(self, location: str, size: int) -> None:
        """Refuse a volume a location has no space left for (only where a test set a limit)."""
        self._current()
        limit = self.limits.get(location)
        if limit is not None and self.used[location] + size > limit:
            raise ApiError(
                422,
                "no_space_left_in_location",
                f"there is no volume space left in location {location}",
            )

    def derive(self, server_id: int, server: Json) -> None:
        """Set a server's ``volumes``."""
        server["volumes"] = sorted(self.by_server.get(server_id, ()))

    def detach_all(self, server_id: int) -> None:
        """Detach the volumes of a deleted server: they stay, available for another."""
        for volume_id in self.of_server(server_id):
            self.volumes[volume_id]["server"] = None
            self.project.touch(VOLUME, volume_id, "server")


# --- attaching ------------------------------------------------------------------------------------


def check_attachable(project: Project, volume: Json, server: Json, field: str) -> None:
    """Refuse to attach a volume that is busy, has a server, or lives in another location.

    A volume attaches to one server at a time, in its own location
    (https://docs.hetzner.cloud/reference/cloud#volume-actions-attach-volume-to-a-server).
    """
    vid = volume["id"]
    project.ensure_unlocked(VOLUME, vid)
    if volume["server"] is not None:
        # hcloud-go names this code: "Volume is already attached to a server, detach first".
        raise ApiError(
            422,
            "volume_already_attached",
            f"volume {vid} is already attached to server {volume['server']}",
        )
    if volume["location"]["name"] != server["location"]["name"]:
        raise invalid_input({field: ["server and volume must be in the same location"]})


def attach_action(
    project: Project, volume_id: int, server_id: int, *, after: Json | None = None
) -> Json:
    """Start an ``attach_volume`` action (after another, if given); it attaches when it ends."""

    def attach() -> None:
        volume = project.tables[VOLUME].get(volume_id)
        if volume is not None and server_id in project.tables[SERVER]:
            volume["server"] = server_id
            project.touch(VOLUME, volume_id, "server")

    refs = [(SERVER, server_id), (VOLUME, volume_id)]
    return project.start_action(ATTACH, refs, after=after, on_success=attach, locks=refs)


# --- hooks ----------------------------------------------------------------------------------------


def _attach_on_create(project: Project, creation: Creation) -> Commit | None:
    """Check a new server's ``volumes``; return what attaches them once it is stored.

    ``automount`` (type-checked by ``server_create``) only tells the server to mount them.
    """
    entries = creation.body.get("volumes")
    if entries is None:
        return None
    if not isinstance(entries, list):
        raise invalid_input({"volumes": ["must be an array of volume IDs"]})
    volume_ids: list[int] = []
    for ref in entries:
        if isinstance(ref, bool) or not isinstance(ref, int):
            raise invalid_input({"volumes": ["must be an array of volume IDs"]})
        volume = project.tables[VOLUME].get(ref)
        if volume is None:
            raise invalid_input({"volumes": [f"volume {ref} not found"]})
        check_attachable(project, volume, creation.resource, "volumes")
        volume_ids.append(ref)

    def commit() -> None:
        sid = creation.resource["id"]
        for vid in dict.fromkeys(volume_ids):
            creation.actions.append(attach_action(project, vid, sid, after=creation.action))

    return commit


def register(registry: Registry) -> None:
    """Keep the volume-server index and contribute servers' ``volumes``."""
    links = VolumeLinks
    registry.part(links)
    registry.on_change(VOLUME, lambda p, vid, fields: p.part(links).volume_changed(vid, fields))
    registry.on_refresh(lambda p, everything: p.part(links).refresh(everything))
    registry.derive(SERVER, lambda p, sid, server: p.part(links).derive(sid, server))
    registry.on_create(SERVER, ("volumes", "automount"), _attach_on_create)
    registry.on_delete(SERVER, lambda p, sid, server: p.part(links).detach_all(sid))
