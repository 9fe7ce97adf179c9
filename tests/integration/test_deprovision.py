"""``deprovision`` when others delete too: servers being deleted or gone count as deleted."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from hetzner_async import HetznerClient, RequestEvent
from hetzner_async.testing import FakeConfig, FakeHetznerCloud


@pytest.fixture
def fake_config() -> FakeConfig:
    # Deletes run longer than anything else, so a second deleter meets one still running.
    return FakeConfig(
        action_duration=0.05, action_durations={"delete_server": 0.3}, rate_limit=None
    )


async def fleet(hz: HetznerClient, count: int, label: str) -> list[int]:
    results = await asyncio.gather(
        *(
            hz.servers.create(
                name=f"{label}-{i}", server_type="cx22", image="debian-12", labels={"run": label}
            )
            for i in range(count)
        )
    )
    await hz.actions.wait(
        *(r.action for r in results), *(a for r in results for a in r.next_actions)
    )
    return [r.server.id for r in results]


async def test_a_server_someone_else_is_deleting_counts_as_deleted(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    ids = await fleet(hz, 3, "a")
    await hz.servers.delete(ids[0])  # another worker's delete, still running
    report = await hz.servers.deprovision("run=a")
    assert report.failed == {}
    assert sorted(s.id for s in report.deleted) == sorted(ids)
    assert fake.sync().servers == {}


async def test_a_server_gone_between_listing_and_delete_counts_as_deleted(
    make_client: Callable[..., HetznerClient], fake: FakeHetznerCloud
) -> None:
    def vanish_one(event: RequestEvent) -> None:
        # Right after the listing, someone else removes the first server for good.
        if event.method == "GET" and event.path_template == "/servers" and ids:
            fake.state.servers.pop(ids.pop(0), None)

    ids: list[int] = []
    async with make_client(on_request=vanish_one) as hz:
        created = await fleet(hz, 3, "b")
        ids.append(created[0])
        report = await hz.servers.deprovision("run=b")
    assert report.failed == {}
    assert sorted(s.id for s in report.deleted) == sorted(created)
    assert fake.sync().servers == {}


async def test_deprovision_misses_nothing_when_others_delete_during_its_listing(
    make_client: Callable[..., HetznerClient], fake: FakeHetznerCloud
) -> None:
    """Page-number listing skips a page's worth when 50 earlier matches vanish mid-listing."""
    pages_read = 0

    def others_delete(event: RequestEvent) -> None:
        nonlocal pages_read
        if event.method == "GET" and event.path_template == "/servers" and event.status == 200:
            pages_read += 1
            if pages_read == 1:  # after the first page: another worker removes its 50 servers
                for server_id in sorted(fake.state.servers)[:50]:
                    del fake.state.servers[server_id]

    async with make_client(on_request=others_delete) as hz:
        await fleet(hz, 120, "c")
        report = await hz.servers.deprovision("run=c")
    assert fake.sync().servers == {}  # the 50 that slid onto the page already read, too
    assert report.failed == {}
    assert len(report.deleted) == 120  # the 50 others removed were gone: deleted too
