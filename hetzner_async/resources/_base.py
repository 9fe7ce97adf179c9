"""What every resource group shares: the transport, the converter, queries, bodies and pages."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import random
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import cattrs

from .._convert import structure
from .._retry import resend_wait
from .._transport import Query, Transport
from .._wire import redact_body
from ..errors import (
    AmbiguousOutcomeError,
    AppliedButUnreadableError,
    HetznerError,
    UnexpectedResponseError,
    UniquenessError,
)
from ..models import Action, ActionResource, ActionStatus

__all__ = [
    "CREATE_MARKER",
    "PER_PAGE",
    "LabelSelector",
    "ResourceGroup",
    "Sort",
    "created_id",
    "query",
]

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


@attrs.frozen
class _Answer:
    """A 2xx answer to a create that could not be read: what there is of it."""

    #: The decoded object, or None when the body was not a JSON object.
    data: dict[str, Any] | None
    #: The body as text, secrets removed.
    text: str
    #: Why it could not be read.
    reason: str
    status: int


def created_id(answer: Mapping[str, Any] | str, item_key: str | None) -> int | None:
    """Find the id of the created resource in a create's answer (decoded, or raw text).

    In raw text (a cut-off body, say) only ``"<item_key>": {"id": N`` counts: a first ``"id"``
    further in could belong to a nested object.
    """
    if item_key is None:
        return None
    if isinstance(answer, str):
        found = re.search(rf'"{re.escape(item_key)}"\s*:\s*\{{\s*"id"\s*:\s*"?(\d+)', answer)
        return int(found.group(1)) if found else None
    item = answer.get(item_key)
    value = item.get("id") if isinstance(item, Mapping) else None
    if isinstance(value, str) and value.isdigit():
        value = int(value)  # an id sent as a string is still the id
    return value if type(value) is int and value > 0 else None


def done_locally(command: str, kind: str, resource_id: int | None) -> Action:
    """Stand in for an action the API did not send: a delete already carried out (id 0, done).

    An earlier, ambiguous try may have deleted the resource, or the API answered a delete
    without an action; either way there is nothing to wait for.
    """
    now = dt.datetime.now(dt.UTC)
    return Action(
        id=0,
        command=command,
        status=ActionStatus.SUCCESS,
        progress=100,
        started=now,
        finished=now,
        resources=[] if resource_id is None else [ActionResource(id=resource_id, type=kind)],
        error=None,
    )


def _redacted_json(data: Mapping[str, Any]) -> str:
    return redact_body(json.dumps(data).encode())


def _with_password(result: T, data: Mapping[str, Any] | None) -> T:
    """Keep the root password of an answer that was read back: only the answer has it."""
    password = None if data is None else data.get("root_password")
    if (
        isinstance(password, str)
        and attrs.has(type(result))
        and "root_password" in attrs.fields_dict(type(result))  # type: ignore[arg-type]
        and getattr(result, "root_password", None) is None
    ):
        return attrs.evolve(result, root_password=password)  # type: ignore[misc]
    return result


def _underlying(failure: HetznerError | None) -> HetznerError:
    """Return what really went wrong once every look-up proved a create was not applied."""
    assert failure is not None
    cause = failure.__cause__
    if isinstance(failure, AmbiguousOutcomeError) and isinstance(cause, HetznerError):
        return cause
    return failure


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
        # Spreads re-sent creates (see resend_wait); tests may seed it.
        self._rng = random.Random()

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
        fetch: Callable[[int], Awaitable[T]] | None = None,
        item_key: str | None = None,
    ) -> T:
        """POST a create so that it takes effect exactly once, and its success is never lost.

        The API has no idempotency key, but names are unique per project and the body carries a
        create marker. When the outcome is ambiguous (the request may have been applied),
        ``adopt()`` looks the resource up by name: it returns the result if the resource carries
        this call's marker, None if the name is free, and raises ``UniquenessError`` if another
        resource holds it. A free name means nothing was created: the create is sent again after
        a backoff (``RetryPolicy``), and when every try ends that way the last failure itself
        is raised, not "ambiguous". A look-up that fails raises ``AmbiguousOutcomeError`` with
        the look-up's error as its cause. A ``uniqueness_error`` after an ambiguous try is
        resolved the same way.

        A 2xx whose body ``read`` cannot turn into a result was applied all the same: the
        resource is read back by the id in the body (``item_key``, ``fetch``), else by name, and
        ``AppliedButUnreadableError`` is raised only if neither works.
        """
        policy = self._transport.options.retry
        failure: HetznerError | None = None
        for attempt in range(policy.max_attempts):
            if attempt:
                await asyncio.sleep(resend_wait(policy, attempt, self._rng))
            try:
                data = await self._call("POST", path, body=body)
            except AppliedButUnreadableError as unreadable:
                answer = _Answer(None, unreadable.body, unreadable.reason, unreadable.status)
                return await self._read_back(path, answer, unreadable, adopt, fetch, item_key)
            except AmbiguousOutcomeError as error:
                failure = error
            except UniquenessError as error:
                if failure is None:
                    raise  # the first try was clear: the name is someone else's
                failure = error
            else:
                try:
                    return read(data)
                except UnexpectedResponseError as error:
                    answer = _Answer(data, _redacted_json(data), error.message, 201)
                    return await self._read_back(path, answer, error, adopt, fetch, item_key)
            adopted = await self._look_up(path, failure, adopt)
            if adopted is not None:
                logger.info("POST %s had an ambiguous outcome; adopted what it created", path)
                return adopted
            if isinstance(failure, UniquenessError):
                raise failure  # taken, though not found by name: not by this call
            logger.info("POST %s had an ambiguous outcome and created nothing", path)
        raise _underlying(failure)

    async def _look_up(
        self, path: str, failure: HetznerError | None, adopt: Callable[[], Awaitable[T | None]]
    ) -> T | None:
        """Run ``adopt()`` after an ambiguous try; a failed look-up leaves the outcome open."""
        try:
            return await adopt()
        except UniquenessError as taken:
            # Held by a resource without this call's marker: the API's own error says it best.
            raise failure if isinstance(failure, UniquenessError) else taken from None
        except HetznerError as lookup_error:
            reason = failure.reason if isinstance(failure, AmbiguousOutcomeError) else str(failure)
            raise AmbiguousOutcomeError(
                method="POST",
                path=path,
                reason=f"{reason}; looking up what it created failed: {lookup_error}",
            ) from lookup_error

    async def _read_back(
        self,
        path: str,
        answer: _Answer,
        error: HetznerError,
        adopt: Callable[[], Awaitable[T | None]],
        fetch: Callable[[int], Awaitable[T]] | None,
        item_key: str | None,
    ) -> T:
        """Return the result of a create the API applied although its answer was unreadable."""
        resource_id = created_id(answer.data if answer.data is not None else answer.text, item_key)
        cause: BaseException = error
        result: T | None = None
        try:
            if resource_id is not None and fetch is not None:
                result = await fetch(resource_id)
            else:
                result = await adopt()
        except HetznerError as lookup_error:
            cause = lookup_error
        if result is None:
            raise AppliedButUnreadableError(
                status=answer.status,
                reason=answer.reason,
                body=answer.text,
                resource_id=resource_id,
                method="POST",
                path=path,
            ) from cause
        logger.warning(
            "POST %s was applied, but its answer could not be read (%s); read it back instead",
            path,
            answer.reason,
        )
        return _with_password(result, answer.data)

    async def _post(
        self, path: str, body: Mapping[str, Any] | None, read: Callable[[dict[str, Any]], T]
    ) -> T:
        """POST a change and read its answer; a 2xx that cannot be read is reported as applied.

        The change happened, so the caller must not send it again: an answer ``read`` fails on
        becomes ``AppliedButUnreadableError`` (with the id of the action it names, if any).
        """
        data = await self._call("POST", path, body=body)
        try:
            return read(data)
        except UnexpectedResponseError as error:
            raise self._unreadable(path, data, error.message) from error

    @staticmethod
    def _unreadable(path: str, data: Mapping[str, Any], reason: str) -> AppliedButUnreadableError:
        return AppliedButUnreadableError(
            status=201,
            reason=reason,
            body=_redacted_json(data),
            resource_id=created_id(data, "action"),
            method="POST",
            path=path,
        )

    def _read_action(self, data: Mapping[str, Any]) -> Action:
        return self._structure(data.get("action"), Action)

    async def _post_action(self, path: str, body: Mapping[str, Any] | None = None) -> Action:
        """POST a change that answers ``{"action": ...}`` and return the action.

        When the answer cannot be read, the action it names is fetched by id; only when that
        fails too is ``AppliedButUnreadableError`` raised.
        """
        try:
            return await self._post(path, body, self._read_action)
        except AppliedButUnreadableError as unreadable:
            action_id = unreadable.resource_id
            if action_id is None:
                action_id = created_id(unreadable.body, "action")
            if action_id is None:
                raise
            try:
                return self._read_action(await self._call("GET", f"/actions/{action_id}"))
            except HetznerError as lookup_error:
                unreadable.resource_id = action_id
                raise unreadable from lookup_error

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
