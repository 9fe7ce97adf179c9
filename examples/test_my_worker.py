"""Test your own provisioning code against the fake cloud with the SDK's pytest fixtures.

Copy this file into your test suite and replace ``provision_worker`` with an import of your own
code. Run it with ``pytest examples/test_my_worker.py``: installing ``hetzner-async`` registers
the pytest plugin, which provides

- ``hetzner_fake``: a ``FakeHetznerCloud`` serving on 127.0.0.1 for one test (``.state``,
  ``.stats``, ``.fail_next_action()``, ``.add_fault()``);
- ``hetzner_client``: a ``HetznerClient`` connected to it;
- ``@pytest.mark.hetzner_fake(**fields)``: ``FakeConfig`` fields for one test (actions take
  0.05 s by default, with the real rate limit of 3600 requests);
- ``hetzner_client_options``: a fixture to override with extra ``HetznerClient`` options.

It needs pytest-asyncio; the ``asyncio`` marks below make it work in strict mode too.
"""

from __future__ import annotations

from typing import Any

import pytest

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.errors import ActionFailedError, ResourceLimitError
from hetzner_async.models import Server, ServerStatus
from hetzner_async.testing import FakeHetznerCloud

pytestmark = pytest.mark.asyncio


# --- the code under test: in your project, import it instead ----------------------------------


async def provision_worker(hz: HetznerClient, name: str, *, pool: str) -> Server:
    """Create a worker server labelled with its pool and wait until it runs.

    If it does not come up, delete it again rather than leave a broken, billable server behind.
    """
    result = await hz.servers.create(
        name=name,
        server_type="cx22",
        image="debian-12",
        location="fsn1",
        labels={"role": "worker", "pool": pool},
    )
    try:
        await hz.actions.wait(result.action, *result.next_actions)
    except ActionFailedError:
        await hz.actions.wait(await hz.servers.delete(result.server.id))
        raise
    return await hz.servers.get(result.server.id)


# --- the tests ----------------------------------------------------------------------------------


@pytest.fixture
def hetzner_client_options() -> dict[str, Any]:
    """Poll the fake's quick actions often, so the tests take milliseconds."""
    return {"poll": PollPolicy(initial=0.01, cap=0.05)}


async def test_worker_runs_with_its_labels(
    hetzner_client: HetznerClient, hetzner_fake: FakeHetznerCloud
) -> None:
    """The worker comes up running, labelled with its pool, in the fake's project."""
    server = await provision_worker(hetzner_client, "worker-1", pool="blue")

    assert server.status is ServerStatus.RUNNING
    assert server.labels["pool"] == "blue"
    [stored] = hetzner_fake.state.servers.values()
    assert stored["name"] == "worker-1"
    assert stored["labels"]["role"] == "worker"


async def test_failed_create_leaves_nothing_behind(
    hetzner_client: HetznerClient, hetzner_fake: FakeHetznerCloud
) -> None:
    """When the create action fails, the worker deletes the server and re-raises."""
    hetzner_fake.fail_next_action("create_server", message="no capacity")

    with pytest.raises(ActionFailedError, match="no capacity"):
        await provision_worker(hetzner_client, "worker-1", pool="blue")

    assert hetzner_fake.state.servers == {}


@pytest.mark.hetzner_fake(rate_limit=5, rate_limit_refill=50.0)
async def test_many_workers_within_a_small_rate_limit(
    hetzner_client: HetznerClient, hetzner_fake: FakeHetznerCloud
) -> None:
    """With a bucket of 5 requests, the client paces itself instead of failing on 429s."""
    for n in range(4):
        await provision_worker(hetzner_client, f"worker-{n}", pool="green")

    assert len(hetzner_fake.state.servers) == 4
    assert hetzner_fake.stats.count("POST", "/servers", 201) == 4
    assert hetzner_fake.stats.rate_limited == 0  # paced by the headers, never refused


async def test_a_rejected_create_is_not_retried(
    hetzner_client: HetznerClient, hetzner_fake: FakeHetznerCloud
) -> None:
    """A 403 (the project's server limit) fails at once: no second billable create is sent."""
    hetzner_fake.add_fault(
        kind="error",
        method="POST",
        path="/servers",
        status=403,
        code="resource_limit_exceeded",
        message="server limit reached",
    )

    with pytest.raises(ResourceLimitError, match="server limit reached"):
        await provision_worker(hetzner_client, "worker-1", pool="blue")

    assert hetzner_fake.stats.count("POST", "/servers") == 1
    assert hetzner_fake.state.servers == {}
