"""Reverse DNS of primary IPs: change_dns_ptr on an IP, and on the server that holds it."""

from hetzner_async.testing import ManualClock

from .conftest import Api
from .primary_ip_helpers import create_ip, ip_of, public_net


async def test_change_dns_ptr_of_a_primary_ip(api: Api, clock: ManualClock) -> None:
    v4 = (await create_ip(api, "v4"))["primary_ip"]
    v6 = (await create_ip(api, "v6", "ipv6"))["primary_ip"]
    default = v4["dns_ptr"]
    path = f"/primary_ips/{v4['id']}/actions/change_dns_ptr"
    changed = await api.post(path, {"ip": v4["ip"], "dns_ptr": "mail.example.com"})
    assert changed.status == 201
    assert changed.body["action"]["command"] == "change_dns_ptr"
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == default  # until the action ends
    clock.advance(1.0)
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == [
        {"ip": v4["ip"], "dns_ptr": "mail.example.com"}
    ]
    await api.post(path, {"ip": v4["ip"], "dns_ptr": None})
    clock.advance(1.0)
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == default
    for body in (
        {"ip": "100.64.9.9", "dns_ptr": "x"},
        {"dns_ptr": "x"},
        {"ip": v4["ip"], "dns_ptr": ""},
    ):
        wrong = await api.post(path, body)
        assert (wrong.status, wrong.body["error"]["code"]) == (422, "invalid_input"), body

    v6_path = f"/primary_ips/{v6['id']}/actions/change_dns_ptr"
    host = v6["ip"].replace("::/64", "::0001")
    await api.post(v6_path, {"ip": host, "dns_ptr": "a.example.com"})
    clock.advance(1.0)
    canonical = host.replace("::0001", "::1")
    assert (await ip_of(api, v6["id"]))["dns_ptr"] == [
        {"ip": canonical, "dns_ptr": "a.example.com"}
    ]
    await api.post(v6_path, {"ip": canonical, "dns_ptr": None})
    clock.advance(1.0)
    assert (await ip_of(api, v6["id"]))["dns_ptr"] == []
    outside = await api.post(v6_path, {"ip": "2001:db8:ffff::1", "dns_ptr": "x.example.com"})
    assert outside.body["error"]["code"] == "invalid_input"


async def test_server_change_dns_ptr_sets_its_primary_ips(api: Api, clock: ManualClock) -> None:
    server = (await api.create_server("web")).body["server"]
    sid, net = server["id"], server["public_net"]
    clock.advance(2.0)
    path = f"/servers/{sid}/actions/change_dns_ptr"
    changed = await api.post(path, {"ip": net["ipv4"]["ip"], "dns_ptr": "web.example.com"})
    assert changed.status == 201
    assert changed.body["action"]["resources"] == [{"id": sid, "type": "server"}]
    v6_host = net["ipv6"]["ip"].replace("::/64", "::1")
    await api.post(path, {"ip": v6_host, "dns_ptr": "web6.example.com"})
    locked = await api.post(path, {"ip": v6_host, "dns_ptr": "web6.example.com"})
    assert locked.status == 423  # the first action still runs
    clock.advance(1.0)
    await api.post(path, {"ip": v6_host, "dns_ptr": "web6.example.com"})
    clock.advance(1.0)
    now = await public_net(api, sid)
    assert now["ipv4"]["dns_ptr"] == "web.example.com"
    assert now["ipv6"]["dns_ptr"] == [{"ip": v6_host, "dns_ptr": "web6.example.com"}]
    assert (await ip_of(api, net["ipv4"]["id"]))["dns_ptr"][0]["dns_ptr"] == "web.example.com"
    floating = await api.post("/floating_ips", {"type": "ipv4", "server": sid})
    not_primary = await api.post(
        path, {"ip": floating.body["floating_ip"]["ip"], "dns_ptr": "f.example.com"}
    )
    assert (not_primary.status, not_primary.body["error"]["code"]) == (422, "invalid_input")
