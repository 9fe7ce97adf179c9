"""The floor: bare aiohttp doing the request and the JSON decode, nothing else.

Same concurrency shape as the ``hetzner_async`` client (every GET gathered at once, a pool of 32
connections like the SDK's default; pages fetched one after the other), no models, no retries,
no rate-limit bookkeeping.

``python -m benchmarks.client_floor --scenario overhead --url ... --base-url ... --token ...``
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any

import aiohttp

from ._measure import ClientArgs, Measure, Tally, emit, parse_client_args, seeded_ids

__all__ = ["main"]


async def _get(session: aiohttp.ClientSession, url: str, params: Any = None) -> Any:
    async with session.get(url, params=params) as response:
        body = await response.read()
        response.raise_for_status()
        return json.loads(body)


async def run(args: ClientArgs) -> dict[str, Any]:
    """Run one scenario and return its report."""
    scenario = args.scenario
    ids = seeded_ids(args.base_url) if scenario.seed_servers else []
    tally = Tally()
    headers = {"Authorization": f"Bearer {args.token}"}
    connector = aiohttp.TCPConnector(limit=32)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
        measure = Measure()
        if scenario.name == "overhead":

            async def one(server_id: int) -> None:
                try:
                    await _get(session, f"{args.url}/servers/{server_id}")
                except aiohttp.ClientError as error:
                    tally.fail(error)
                else:
                    tally.done += 1

            await asyncio.gather(*(one(ids[i % len(ids)]) for i in range(scenario.servers)))
        elif scenario.name == "list-10k":
            page: int | None = 1
            while page is not None:
                params = {
                    "label_selector": scenario.extra["label_selector"],
                    "page": str(page),
                    "per_page": "50",
                }
                data = await _get(session, f"{args.url}/servers", params)
                tally.done += len(data["servers"])
                page = data["meta"]["pagination"]["next_page"]
        else:
            raise SystemExit(f"the floor of {scenario.name} is computed, not measured")
        measure.stop()
    return measure.result(tally, timed_out=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one scenario with bare aiohttp and print its report."""
    emit(asyncio.run(run(parse_client_args("python -m benchmarks.client_floor", argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
