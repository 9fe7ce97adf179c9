"""hcloud-python 2.27 against the fake: a load balancer created on existing Primary IPs.

Since 2026-10-05 (https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips)
the client sends ``public_net`` on create and follows ``public_net.ipv4.id``/``ipv6.id`` to the
Primary IPs; they stay with the load balancer until it is deleted, then are free again.
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.load_balancer_types import LoadBalancerType
from hcloud.load_balancers import LoadBalancerCreatePublicNetwork
from hcloud.locations import Location
from hcloud.primary_ips import BoundPrimaryIP

from .pyclient import api_code, finish

pytestmark = pytest.mark.interop


def primary_ip(client: Client, name: str, type: str, auto_delete: bool) -> BoundPrimaryIP:
    created = client.primary_ips.create(
        type=type, name=name, location=Location(name="fsn1"), auto_delete=auto_delete
    )
    return created.primary_ip


def test_a_load_balancer_on_existing_primary_ips(hcloud_client: Client) -> None:
    v4 = primary_ip(hcloud_client, "lb-v4", "ipv4", auto_delete=False)
    v6 = primary_ip(hcloud_client, "lb-v6", "ipv6", auto_delete=True)
    created = hcloud_client.load_balancers.create(
        "on-ips",
        load_balancer_type=LoadBalancerType(name="lb11"),
        location=Location(name="fsn1"),
        public_net=LoadBalancerCreatePublicNetwork(ipv4=v4, ipv6=v6),
    )
    finish(created.action)
    lb = hcloud_client.load_balancers.get_by_id(created.load_balancer.id)
    ipv4, ipv6 = lb.public_net.ipv4, lb.public_net.ipv6
    assert ipv4.primary_ip is not None
    assert ipv6.primary_ip is not None
    assert (ipv4.primary_ip.id, ipv6.primary_ip.id) == (v4.id, v6.id)
    assert ipv4.ip == v4.ip
    assert ipv6.ip == v6.ip.removesuffix("/64") + "1"
    # The client follows the reference to the Primary IP, assigned to the load balancer.
    ipv4.primary_ip.reload()
    assert (ipv4.primary_ip.assignee_type, ipv4.primary_ip.assignee_id) == (
        "load_balancer",
        lb.id,
    )

    with pytest.raises(APIException) as excinfo:
        v4.unassign()
    assert api_code(excinfo) == "unsupported_error"
    with pytest.raises(APIException) as excinfo:
        hcloud_client.load_balancers.create(
            "second",
            load_balancer_type=LoadBalancerType(name="lb11"),
            location=Location(name="fsn1"),
            public_net=LoadBalancerCreatePublicNetwork(ipv4=v4),
        )
    assert api_code(excinfo) == "primary_ip_assigned"

    finish(lb.delete().action)
    remaining = {ip.id: ip for ip in hcloud_client.primary_ips.get_all()}
    assert list(remaining) == [v4.id]  # the auto_delete IPv6 went with the load balancer
    assert remaining[v4.id].assignee_id is None
    plain = hcloud_client.load_balancers.create(
        "plain", load_balancer_type=LoadBalancerType(name="lb11"), location=Location(name="fsn1")
    )
    assert plain.load_balancer.public_net.ipv4.primary_ip is None
