"""``hz.servers``: list, look up, create, change and delete servers, and run server actions."""

from __future__ import annotations

import asyncio
import builtins
import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TypedDict, Unpack

import attrs
import cattrs

from .._batch import Coalescer
from .._transport import Transport
from .._validate import check_id, check_labels, check_server_name, check_user_data
from ..errors import ActionFailedError, HetznerError, LockedError, NotFoundError
from ..models import (
    Action,
    ActionStatus,
    CreateServerResult,
    Server,
    ServerStatus,
)
from ._base import CREATE_MARKER, PER_PAGE, LabelSelector, Sort, done_locally, query
from ._server_actions import ServerActions
from ._server_create import check_create_refs, create_public_net
from ._server_image_actions import ServerImageActions
from ._server_metrics import ServerMetrics
from ._server_network_actions import ServerNetworkActions
from .actions import Actions

__all__ = ["DeprovisionReport", "Servers"]


#: How often deprovision tries a delete that an action holds up, waiting for it in between.
_UNLOCK_TRIES = 3
#: How often deprovision lists the selector: again after each round that found new servers.
_DEPROVISION_ROUNDS = 5


def _adopted(server: Server, actions: builtins.list[Action]) -> CreateServerResult:
    """Rebuild the create result of a server found after an ambiguous create, from its actions.

    Its root password cannot be recovered: only the create response carries it.
    """
    create = next((a for a in actions if a.command == "create_server"), None)
    if create is None:
        raise HetznerError(f"server {server.id} was created, but its create action is gone")
    starts = [a for a in actions if a.command == "start_server" and a.id > create.id]
    return CreateServerResult(
        server=server, action=create, next_actions=starts[:1], root_password=None
    )


class CreateOptions(TypedDict, total=False):
    """The optional arguments of ``Servers.create``, for the helpers that pass them on."""

    location: str | int | None
    datacenter: str | int | None
    ssh_keys: Sequence[int | str] | None
    firewalls: Sequence[int] | None
    networks: Sequence[int] | None
    volumes: Sequence[int] | None
    placement_group: int | None
    user_data: str | None
    labels: Mapping[str, str] | None
    start_after_create: bool | None
    automount: bool | None
    enable_ipv4: bool | None
    enable_ipv6: bool | None
    ipv4: int | None
    ipv6: int | None


@attrs.frozen
class DeprovisionReport:
    """What ``deprovision`` removed, and what it could not."""

    #: The servers that are gone, as they were listed before deletion.
    deleted: builtins.list[Server]
    #: Server ID -> the error that kept it from being deleted.
    failed: dict[int, HetznerError]


class Servers(ServerNetworkActions, ServerImageActions, ServerMetrics, ServerActions):
    """Servers of the project (https://docs.hetzner.cloud/reference/cloud#servers)."""

    path = "/servers"
    item_key = "server"
    page_key = "servers"
    model = Server

    def __init__(self, transport: Transport, converter: cattrs.Converter, actions: Actions) -> None:
        super().__init__(transport, converter)
        self._actions = actions
        # Many create_and_wait calls finish at the same poll tick: re-read them together.
        self._by_marker: Coalescer[str, Server] = Coalescer(self._fetch_by_markers, PER_PAGE // 2)

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        status: ServerStatus | str | Sequence[ServerStatus | str] | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Server]:
        """Iterate over every matching server, fetching pages of 50 as needed.

        The API pages by number: deleting servers while iterating (or others deleting them)
        moves later servers to earlier pages, which this iteration has passed, so it skips
        them. To delete what matches, collect the listing first (``list``) or use
        ``deprovision``.
        """
        return self._iter(query(name=name, label_selector=label_selector, status=status, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        status: ServerStatus | str | Sequence[ServerStatus | str] | None = None,
        sort: Sort | None = None,
    ) -> list[Server]:
        """Return every matching server (all pages)."""
        servers = self.iter(name=name, label_selector=label_selector, status=status, sort=sort)
        return [server async for server in servers]

    async def create(
        self,
        *,
        name: str,
        server_type: str | int,
        image: str | int,
        location: str | int | None = None,
        datacenter: str | int | None = None,
        ssh_keys: Sequence[int | str] | None = None,
        firewalls: Sequence[int] | None = None,
        networks: Sequence[int] | None = None,
        volumes: Sequence[int] | None = None,
        placement_group: int | None = None,
        user_data: str | None = None,
        labels: Mapping[str, str] | None = None,
        start_after_create: bool | None = None,
        automount: bool | None = None,
        enable_ipv4: bool | None = None,
        enable_ipv6: bool | None = None,
        ipv4: int | None = None,
        ipv6: int | None = None,
    ) -> CreateServerResult:
        """Create a server; wait on ``result.action`` and ``result.next_actions`` for it to run.

        ``root_password`` is set only when no SSH key is given. ``ipv4``/``ipv6`` are IDs of
        primary IPs to use (else new ones are made unless ``enable_ipv4``/``6`` is False);
        ``datacenter`` is the API's deprecated alternative to ``location``.
        """
        check_server_name(name)
        if labels is not None:
            check_labels(labels)
        if user_data is not None:
            check_user_data(user_data)
        marked, _ = self._marked(labels)
        public_net = create_public_net(enable_ipv4, enable_ipv6, ipv4, ipv6)
        check_create_refs(location, datacenter, networks, volumes, placement_group)
        body = self._body(
            name=name,
            server_type=str(server_type),
            image=str(image),
            location=None if location is None else str(location),
            datacenter=None if datacenter is None else str(datacenter),
            ssh_keys=None if ssh_keys is None else [str(key) for key in ssh_keys],
            firewalls=None
            if firewalls is None
            else [{"firewall": check_id("firewalls", fw)} for fw in firewalls],
            networks=networks,
            volumes=volumes,
            placement_group=placement_group,
            user_data=user_data,
            labels=marked,
            start_after_create=start_after_create,
            automount=automount,
            public_net=public_net,
        )
        return await self._create_named(
            body, read=lambda data: self._structure(data, CreateServerResult), adopted=_adopted
        )

    async def update(
        self, server_id: int, *, name: str | None = None, labels: Mapping[str, str] | None = None
    ) -> Server:
        """Rename a server or replace its labels (the labels sent replace all existing ones)."""
        if name is not None:
            check_server_name(name)
        if labels is not None:
            check_labels(labels)
        return await self._update(server_id, name=name, labels=labels)

    async def delete(self, server_id: int) -> Action:
        """Delete a server; the returned action ends when it is gone.

        Safe to repeat after a network failure: when an earlier try may have gone through, the
        running delete action is looked up, and a server already gone counts as deleted (the
        action returned is then a local stand-in with id 0, already successful).
        """
        path = self._item_path(server_id)
        try:
            data = await self._call("DELETE", path)
        except (NotFoundError, LockedError) as error:
            if not error.after_ambiguous:
                raise
            return await self._delete_in_progress(server_id)
        return self._structure(data["action"], Action)

    async def _delete_when_unlocked(self, server_id: int, timeout: float | None) -> Action:
        """Delete a server; if an action holds it (say, its create), wait for that, then delete.

        A server already gone counts as deleted (the action is a stand-in, already successful);
        one whose delete someone else started yields that delete, to wait for.
        """
        for _ in range(_UNLOCK_TRIES - 1):
            try:
                return await self._delete_unless_gone(server_id)
            except LockedError:
                try:
                    actions = await self.list_actions(server_id, sort="id")
                except NotFoundError:
                    return done_locally("delete_server", "server", server_id)
                running = [a for a in actions if a.status is ActionStatus.RUNNING]
                deleting = [a for a in running if a.command == "delete_server"]
                if deleting:
                    return deleting[-1]  # being deleted already: deleting again would fail
                # None running: it ended between the two requests, so just try again.
                with contextlib.suppress(ActionFailedError):  # failed or not, it lets go
                    await self._actions.wait(*running, timeout=timeout)
        return await self._delete_unless_gone(server_id)

    async def _delete_unless_gone(self, server_id: int) -> Action:
        """Delete a server; one that is not there (any more) counts as deleted."""
        try:
            return await self.delete(server_id)
        except NotFoundError:
            return done_locally("delete_server", "server", server_id)

    async def _delete_in_progress(self, server_id: int) -> Action:
        """Find the delete an earlier, ambiguous try started, or confirm the server is gone."""
        try:
            actions = await self.list_actions(server_id, sort="id")
        except NotFoundError:
            return done_locally("delete_server", "server", server_id)
        deleting = [a for a in actions if a.command == "delete_server"]
        if not deleting:
            # Locked by something else: the earlier try did not delete it after all.
            raise LockedError(
                status=423, code="locked", message=f"server {server_id} is locked by another action"
            )
        return deleting[-1]

    async def _shutdown(self) -> None:
        """Cancel the batched look-ups of ``create_and_wait`` (``HetznerClient.close`` calls it)."""
        await self._by_marker.close()

    # --- the common jobs ----------------------------------------------------------------------

    async def create_and_wait(
        self,
        *,
        name: str,
        server_type: str | int,
        image: str | int,
        timeout: float | None = None,
        **options: Unpack[CreateOptions],
    ) -> Server:
        """Create a server, wait until it runs, and return it as it is then.

        ``options`` are those of ``create``. If an action fails or the wait times out, the
        server still exists (billable): the error carries the action, and the server its labels.
        """
        result = await self.create(name=name, server_type=server_type, image=image, **options)
        await self._actions.wait(result.action, *result.next_actions, timeout=timeout)
        marker = result.server.labels.get(CREATE_MARKER)
        fresh = None if marker is None else await self._by_marker.get(marker)
        return fresh if fresh is not None else await self.get(result.server.id)

    async def _fetch_by_markers(self, markers: Sequence[str]) -> dict[str, Server]:
        """Fetch up to 25 freshly created servers in one listing, by their create markers."""
        selector = f"{CREATE_MARKER} in ({','.join(markers)})"
        return {
            server.labels[CREATE_MARKER]: server
            async for server in self.iter(label_selector=selector)
            if CREATE_MARKER in server.labels
        }

    async def deprovision(
        self, label_selector: LabelSelector, *, concurrency: int = 16, timeout: float | None = None
    ) -> DeprovisionReport:
        """Delete every server matching a label selector concurrently; wait until they are gone.

        A server held by a running action (its create, say) is deleted once that action ends; a
        server already being deleted, or already gone, counts as deleted. Listing pages by number,
        so servers that others delete meanwhile can make it skip matches (see ``iter``): the
        matches are listed in full before any is deleted, and listed again after each round
        until no new one shows up (at most five rounds).
        """
        gate = asyncio.Semaphore(concurrency)
        found: dict[int, Server] = {}
        failed: dict[int, HetznerError] = {}

        async def remove(server: Server) -> None:
            try:
                async with gate:
                    action = await self._delete_when_unlocked(server.id, timeout)
                await self._actions.wait(action, timeout=timeout)
            except HetznerError as error:
                failed[server.id] = error

        for _ in range(_DEPROVISION_ROUNDS):
            servers = await self.list(label_selector=label_selector)
            fresh = [server for server in servers if server.id not in found]
            if not fresh:
                break
            found.update((server.id, server) for server in fresh)
            await asyncio.gather(*(remove(server) for server in fresh))
        return DeprovisionReport(
            deleted=[server for server in found.values() if server.id not in failed],
            failed=failed,
        )
