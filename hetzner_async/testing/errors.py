"""The error the fake's handlers raise, rendered as the API's error envelope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["ApiError", "invalid_input", "not_found", "uniqueness_error"]


class ApiError(Exception):
    """An API error response: HTTP status plus ``{"error": {code, message, details}}``."""

    def __init__(
        self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details) if details is not None else None

    def envelope(self) -> dict[str, Any]:
        """Return the JSON body of this error."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def invalid_input(field_messages: Mapping[str, Sequence[str]]) -> ApiError:
    """Build a 422 ``invalid_input`` error naming each bad field and what is wrong with it."""
    fields = [{"name": name, "messages": list(msgs)} for name, msgs in field_messages.items()]
    first = fields[0]
    message = f"invalid input in field '{first['name']}'"
    if first["messages"]:
        message += f": {first['messages'][0]}"
    return ApiError(422, "invalid_input", message, {"fields": fields})


def uniqueness_error(field: str, message: str) -> ApiError:
    """Build a 409 ``uniqueness_error`` naming the field that must be unique."""
    return ApiError(409, "uniqueness_error", message, {"fields": [{"name": field}]})


def not_found(kind: str, ident: object) -> ApiError:
    """Build a 404 ``not_found`` error for one resource."""
    return ApiError(404, "not_found", f"{kind} with ID '{ident}' not found")
