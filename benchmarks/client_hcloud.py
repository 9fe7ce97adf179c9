"""The scenarios with the official ``hcloud`` client, run in a thread pool as its users do.

Defaults throughout: ``wait_until_finished()`` polls each action once a second (up to 120
times), requests are retried by hcloud's own policy, one ``Client`` is shared by all threads.

``python -m benchmarks.client_hcloud --scenario fleet-200 --url ... --base-url ... --token ...``
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from typing import Any

from hcloud import Client
from hcloud.firewalls import FirewallRule
from hcloud.images import Image
from hcloud.locations import Location
from hcloud.server_types import ServerType
from hcloud.servers import CreateServerResponse

from ._measure import ClientArgs, Measure, Tally, emit, parse_client_args, seeded_ids
from .scenarios import IMAGE, LOCATION, PUBLIC_KEY, SERVER_TYPE, Scenario

__all__ = ["main"]

Task = Callable[[], object]


def _create(client: Client, name: str, **options: Any) -> CreateServerResponse:
    """Create a server and wait for its create action and next actions (``start_server``)."""
    response = client.servers.create(
        name=name,
        server_type=ServerType(name=SERVER_TYPE),
        image=Image(name=IMAGE),
        location=Location(name=LOCATION),
        **options,
    )
    response.action.wait_until_finished()
    for action in response.next_actions:
        action.wait_until_finished()
    return response


def fleet(client: Client, scenario: Scenario, ids: list[int], tally: Tally) -> list[Task]:
    """Create servers with an ssh key and a firewall, wait, delete them, wait."""
    key = client.ssh_keys.create(name="bench", public_key=PUBLIC_KEY)
    rule = FirewallRule(
        direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"]
    )
    firewall = client.firewalls.create(name="bench", rules=[rule]).firewall

    def lifecycle(i: int) -> None:
        response = _create(
            client, f"fleet-{i}", ssh_keys=[key], firewalls=[firewall], labels={"bench": "fleet"}
        )
        client.servers.delete(response.server).wait_until_finished()

    return [partial(lifecycle, i) for i in range(scenario.servers)]


def fleet_delete(client: Client, scenario: Scenario, ids: list[int], tally: Tally) -> list[Task]:
    """Create, start, delete and wait for servers; the thread pool is the closed loop."""

    def lifecycle(i: int) -> None:
        response = _create(client, f"fd-{i}")
        tally.woke([response.action.id, *(a.id for a in response.next_actions)])
        action = client.servers.delete(response.server)
        action.wait_until_finished()
        tally.woke([action.id])

    return [partial(lifecycle, i) for i in range(scenario.servers)]


def rate_limited(client: Client, scenario: Scenario, ids: list[int], tally: Tally) -> list[Task]:
    """Create servers and wait until they run."""
    return [partial(_create, client, f"rl-{i}") for i in range(scenario.servers)]


def scale(client: Client, scenario: Scenario, ids: list[int], tally: Tally) -> list[Task]:
    """Create, wait, and fetch the running server (what ``create_and_wait`` does)."""

    def create_and_wait(i: int) -> None:
        server = _create(client, f"s-{i}").server
        assert server.id is not None
        client.servers.get_by_id(server.id)

    return [partial(create_and_wait, i) for i in range(scenario.servers)]


def overhead(client: Client, scenario: Scenario, ids: list[int], tally: Tally) -> list[Task]:
    """GET one server per task."""
    return [partial(client.servers.get_by_id, ids[i % len(ids)]) for i in range(scenario.servers)]


TASKS: dict[str, Callable[[Client, Scenario, list[int], Tally], list[Task]]] = {
    "fleet-200": fleet,
    "fleet-delete-25": fleet_delete,
    "fleet-delete-100": fleet_delete,
    "rate-limited": rate_limited,
    "scale-5k": scale,
    "overhead": overhead,
}


def run(args: ClientArgs) -> dict[str, Any]:
    """Run one scenario and return its report."""
    scenario = args.scenario
    ids = seeded_ids(args.base_url) if scenario.seed_servers else []
    # hcloud's requests pool keeps 10 connections; with more threads urllib3 logs a warning for
    # every connection it discards. The behaviour stays the default; only the log is muted.
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    client = Client(token=args.token, api_endpoint=args.url)
    tally = Tally()
    measure = Measure()
    timed_out = False
    if scenario.name == "list-10k":
        try:
            tally.done = len(
                client.servers.get_all(label_selector=scenario.extra["label_selector"])
            )
        except Exception as error:
            tally.fail(error)
    else:
        pool = ThreadPoolExecutor(max_workers=scenario.hcloud_threads)
        try:
            tasks = TASKS[scenario.name](client, scenario, ids, tally)
        except Exception as error:  # the setup (ssh key, firewall) failed: nothing to run
            tally.fail(error)
            tasks = []
        futures: list[Future[Any]] = [pool.submit(task) for task in tasks]
        done, pending = wait(futures, timeout=scenario.hcloud_time_cap or scenario.time_cap)
        timed_out = bool(pending)
        for future in done:
            failure = future.exception()
            if failure is None:
                tally.done += 1
            else:
                tally.fail(failure)
        pool.shutdown(wait=False, cancel_futures=True)
    measure.stop()
    return measure.result(tally, timed_out=timed_out, threads=scenario.hcloud_threads)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one scenario with hcloud and print its report."""
    args = parse_client_args("python -m benchmarks.client_hcloud", argv)
    result = run(args)
    emit(result)
    if result["timed_out"]:
        # Threads still sleeping in hcloud's poll or retry loops cannot be cancelled.
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
