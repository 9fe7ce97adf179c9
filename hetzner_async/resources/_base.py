"""What every resource group shares: the transport, the converter, queries, bodies and pages."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import cattrs

from .._convert import structure
from .._transport import Query, Transport
from ..errors import AmbiguousOutcomeError, HetznerError, UniquenessError

__all__ = ["CREATE_MARKER", "PER_PAGE", "LabelSelector", "ResourceGroup", "Sort", "query"]

logger = logging.getLogger("hetzner_async")

#: The label every create carries: a random value that proves, after an ambiguous failure,
#: that a resource found by its (unique) name is the one this call created.
CREATE_MARKER = "hetzner-async/create-id"

T = TypeVar("T")

#: The largest page the API serves (https://docs.hetzner.cloud/reference/cloud#pagination).
PER_PAGE = 50

#: A label selector as the API's string (``"env=prod,role in (web,db)"``) or a mapping of
#: required values, which becomes ``k=v`` terms joined by commas.
LabelSelector = str | Mapping[str, str]
#: One ``sort`` value or several (``"name"``, ``"created:desc"``).
Sort = str | Sequence[str]


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query(**params: object) -> list[tuple[str, str]]:
    """Build query pairs: None is left out, sequences repeat their key, booleans are lowercase."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        if key == "label_selector" and isinstance(value, Mapping):
            value = ",".join(f"{k}={v}" for k, v in value.items())
        if isinstance(value, str | int):
            pairs.append((key, _query_value(value)))
        elif isinstance(value, Iterable):
            pairs.extend((key, _query_value(item)) for item in value)
        else:
            pairs.append((key, _query_value(value)))
    return pairs


class ResourceGroup:
    """Base of the resource groups: builds paths and bodies, never sees sessions or statuses."""

    def __init__(self, transport: Transport, converter: cattrs.Converter) -> None:
        self._transport = transport
        self._converter = converter

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _body(self, **fields: object) -> dict[str, Any]:
        """Build a JSON body from keyword fields; None is left out, models are unstructured."""
        return {
            key: self._converter.unstructure(value)
            for key, value in fields.items()
            if value is not None
        }

    @staticmethod
    def _marked(labels: Mapping[str, str] | None) -> tuple[dict[str, str], str]:
        """Return the labels with a fresh create marker added, and the marker."""
        marker = uuid.uuid4().hex
        return {**(labels or {}), CREATE_MARKER: marker}, marker

    async def _create_exactly_once(
        self,
        path: str,
        body: Mapping[str, Any],
        *,
        read: Callable[[dict[str, Any]], T],
        adopt: Callable[[], Awaitable[T | None]],
    ) -> T:
        """POST a create so that it takes effect exactly once, even when the network fails.

        The API has no idempotency key, but names are unique per project and the body carries a
        create marker. When the outcome is ambiguous (the request may have been applied), look
        the resource up by name: if it carries this call's marker, adopt it; if nothing is there,
        send again. A ``uniqueness_error`` after an ambiguous try is resolved the same way, and
        is raised only when the name belongs to someone else.
        """
        tries = self._transport.options.retry.max_attempts
        failure: HetznerError | None = None
        for _ in range(tries):
            try:
                return read(await self._call("POST", path, body=body))
            except AmbiguousOutcomeError as error:
                failure = error
            except UniquenessError as error:
                if failure is None:
                    raise  # the first try was clear: the name is someone else's
                failure = error
            adopted = await adopt()
            if adopted is not None:
                logger.info("POST %s had an ambiguous outcome; adopted what it created", path)
                return adopted
            if isinstance(failure, UniquenessError):
                raise failure  # taken, and not by this call
            logger.info("POST %s had an ambiguous outcome and created nothing; sending again", path)
        assert failure is not None
        raise failure

    def _structure(self, data: object, cls: type[T]) -> T:
        return structure(self._converter, data, cls)

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Query | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        return await self._transport.request(method, path, params=params, json_body=body)

    async def _pages(self, path: str, key: str, cls: type[T], params: Query) -> AsyncIterator[T]:
        """Yield every item of a listing, page by page, following ``meta.pagination.next_page``."""
        page: int | None = 1
        while page is not None:
            data = await self._call(
                "GET", path, params=[*params, ("page", str(page)), ("per_page", str(PER_PAGE))]
            )
            for item in data.get(key, []):
                yield self._structure(item, cls)
            pagination = (data.get("meta") or {}).get("pagination") or {}
            next_page = pagination.get("next_page")
            page = next_page if isinstance(next_page, int) and next_page > page else None
