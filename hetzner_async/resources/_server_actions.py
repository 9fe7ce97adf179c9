"""The server actions: power, rebuild, type, rescue, ISO, protection, console, password."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from .._validate import check_user_data
from ..models import (
    Action,
    ConsoleResult,
    EnableRescueResult,
    RebuildServerResult,
    ResetPasswordResult,
    Server,
)
from ._collection import ActionListings

__all__ = ["ServerActions"]

T = TypeVar("T")


class ServerActions(ActionListings[Server]):
    """``POST /servers/{id}/actions/...``: the imperative operations on one server."""

    async def _action(
        self, server_id: int, command: str, result: type[T], body: Mapping[str, Any] | None = None
    ) -> T:
        """Run a server action whose answer is more than an action (a password, a URL)."""
        path = self._item_path(server_id, "actions", command)
        return await self._post(path, body, lambda data: self._structure(data, result))

    async def power_on(self, server_id: int) -> Action:
        """Start a server that is off."""
        return await self._run(server_id, "poweron")

    async def power_off(self, server_id: int) -> Action:
        """Cut a server's power (hard stop; data not yet written may be lost)."""
        return await self._run(server_id, "poweroff")

    async def shutdown(self, server_id: int) -> Action:
        """Ask the OS to shut down via ACPI; success means the request was sent, not obeyed."""
        return await self._run(server_id, "shutdown")

    async def reboot(self, server_id: int) -> Action:
        """Ask the OS to reboot via ACPI."""
        return await self._run(server_id, "reboot")

    async def reset(self, server_id: int) -> Action:
        """Hard-reset a server, like pressing its reset button."""
        return await self._run(server_id, "reset")

    async def rebuild(
        self, server_id: int, *, image: str | int, user_data: str | None = None
    ) -> RebuildServerResult:
        """Reinstall a server from an image, erasing its disk; optionally with new user data."""
        if user_data is not None:
            check_user_data(user_data)
        body = self._body(image=str(image), user_data=user_data)
        return await self._action(server_id, "rebuild", RebuildServerResult, body)

    async def change_type(
        self, server_id: int, *, server_type: str | int, upgrade_disk: bool
    ) -> Action:
        """Change the server type of a server that is off; ``upgrade_disk`` also grows the disk."""
        body = self._body(server_type=str(server_type), upgrade_disk=upgrade_disk)
        return await self._run(server_id, "change_type", body)

    async def enable_rescue(
        self, server_id: int, *, type: str | None = None, ssh_keys: Sequence[int] | None = None
    ) -> EnableRescueResult:
        """Boot a server into the rescue system on its next start (``type`` defaults to linux64)."""
        body = self._body(type=type, ssh_keys=ssh_keys)
        return await self._action(server_id, "enable_rescue", EnableRescueResult, body)

    async def disable_rescue(self, server_id: int) -> Action:
        """Boot a server normally again after rescue mode was enabled."""
        return await self._run(server_id, "disable_rescue")

    async def attach_iso(self, server_id: int, *, iso: str | int) -> Action:
        """Insert an ISO (by ID or name) into a server's virtual drive."""
        return await self._run(server_id, "attach_iso", self._body(iso=str(iso)))

    async def detach_iso(self, server_id: int) -> Action:
        """Eject the ISO from a server's virtual drive."""
        return await self._run(server_id, "detach_iso")

    async def change_protection(
        self, server_id: int, *, delete: bool | None = None, rebuild: bool | None = None
    ) -> Action:
        """Protect a server against deletion and rebuild (the API wants both values equal)."""
        return await self._run(
            server_id, "change_protection", self._body(delete=delete, rebuild=rebuild)
        )

    async def request_console(self, server_id: int) -> ConsoleResult:
        """Get a one-minute WebSocket URL and password for a server's VNC console."""
        return await self._action(server_id, "request_console", ConsoleResult)

    async def reset_password(self, server_id: int) -> ResetPasswordResult:
        """Set a new root password through the guest agent and return it."""
        return await self._action(server_id, "reset_password", ResetPasswordResult)
