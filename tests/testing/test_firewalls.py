"""Firewalls: rules, apply/remove by server and by label selector, consistency, in-use."""

from typing import Any

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api

RULE = {"direction": "in", "protocol": "tcp", "port": "22", "source_ips": ["0.0.0.0/0", "::/0"]}


def fw_ids(server: dict[str, Any]) -> list[int]:
    return [f["id"] for f in server["public_net"]["firewalls"]]


async def server_of(api: Api, sid: int) -> dict[str, Any]:
    reply = await api.get(f"/servers/{sid}")
    server: dict[str, Any] = reply.body["server"]
    return server


async def test_create_with_rules_and_server(api: Api, clock: ManualClock) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    reply = await api.post(
        "/firewalls",
        {
            "name": "fw",
            "labels": {"k": "v"},
            "rules": [RULE],
            "apply_to": [{"type": "server", "server": {"id": sid}}],
        },
    )
    assert reply.status == 201
    firewall = reply.body["firewall"]
    assert firewall["rules"] == [{**RULE, "destination_ips": [], "description": None}]
    assert firewall["applied_to"] == [{"type": "server", "server": {"id": sid}}]
    assert [a["command"] for a in reply.body["actions"]] == ["set_firewall_rules", "apply_firewall"]
    assert reply.body["actions"][1]["resources"] == [
        {"id": sid, "type": "server"},
        {"id": firewall["id"], "type": "firewall"},
    ]
    server = await server_of(api, sid)
    assert server["public_net"]["firewalls"] == [{"id": firewall["id"], "status": "pending"}]
    clock.advance(3.0)
    server = await server_of(api, sid)
    assert server["public_net"]["firewalls"] == [{"id": firewall["id"], "status": "applied"}]


async def test_create_validation(api: Api) -> None:
    cases = [
        {"name": "x", "rules": [{"direction": "sideways", "protocol": "tcp"}]},
        {
            "name": "x",
            "rules": [{"direction": "in", "protocol": "tcp", "source_ips": ["1.2.3.4/32"]}],
        },
        {"name": "x", "rules": [{**RULE, "protocol": "icmp"}]},
        {"name": "x", "rules": [{**RULE, "source_ips": ["not-an-ip"]}]},
        {"name": "x", "rules": [RULE] * 51},
        {"name": "x" * 129},
        {
            "name": "x",
            "apply_to": [{"type": "label_selector", "label_selector": {"selector": "a in ("}}],
        },
    ]
    for body in cases:
        reply = await api.post("/firewalls", body)
        assert reply.status == 422, body
        assert reply.body["error"]["code"] == "invalid_input"
    missing = await api.post(
        "/firewalls", {"name": "x", "apply_to": [{"type": "server", "server": {"id": 999}}]}
    )
    assert missing.body["error"]["code"] == "firewall_resource_not_found"
    await api.post("/firewalls", {"name": "dup"})
    dup = await api.post("/firewalls", {"name": "dup"})
    assert dup.status == 409
    assert dup.body["error"]["details"] == {"fields": [{"name": "name"}]}


async def test_apply_and_remove_by_server(api: Api, clock: ManualClock) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    fid = (await api.post("/firewalls", {"name": "fw"})).body["firewall"]["id"]
    target = [{"type": "server", "server": {"id": sid}}]
    applied = await api.post(f"/firewalls/{fid}/actions/apply_to_resources", {"apply_to": target})
    assert applied.status == 201
    assert [a["command"] for a in applied.body["actions"]] == ["apply_firewall"]
    assert fw_ids(await server_of(api, sid)) == [fid]
    again = await api.post(f"/firewalls/{fid}/actions/apply_to_resources", {"apply_to": target})
    assert again.body["error"]["code"] == "firewall_already_applied"
    ghost = await api.post(
        f"/firewalls/{fid}/actions/apply_to_resources",
        {"apply_to": [{"type": "server", "server": {"id": 999}}]},
    )
    assert ghost.status == 404
    assert ghost.body["error"]["code"] == "firewall_resource_not_found"

    in_use = await api.delete(f"/firewalls/{fid}")
    assert in_use.status == 422
    assert in_use.body["error"]["code"] == "resource_in_use"

    removed = await api.post(
        f"/firewalls/{fid}/actions/remove_from_resources", {"remove_from": target}
    )
    assert [a["command"] for a in removed.body["actions"]] == ["remove_firewall"]
    assert fw_ids(await server_of(api, sid)) == []
    assert (await api.get(f"/firewalls/{fid}")).body["firewall"]["applied_to"] == []
    not_applied = await api.post(
        f"/firewalls/{fid}/actions/remove_from_resources", {"remove_from": target}
    )
    assert not_applied.status == 404
    assert (await api.delete(f"/firewalls/{fid}")).status == 204


async def test_label_selector_follows_servers(api: Api, clock: ManualClock) -> None:
    web1 = (await api.create_server("web1", labels={"role": "web"})).body["server"]["id"]
    db = (await api.create_server("db", labels={"role": "db"})).body["server"]["id"]
    fid = (await api.post("/firewalls", {"name": "fw"})).body["firewall"]["id"]
    selector = [{"type": "label_selector", "label_selector": {"selector": "role=web"}}]
    applied = await api.post(f"/firewalls/{fid}/actions/apply_to_resources", {"apply_to": selector})
    assert [a["resources"][0]["id"] for a in applied.body["actions"]] == [web1]

    def resources(firewall: dict[str, Any]) -> list[int]:
        return [r["server"]["id"] for r in firewall["applied_to"][0]["applied_to_resources"]]

    firewall = (await api.get(f"/firewalls/{fid}")).body["firewall"]
    assert resources(firewall) == [web1]
    assert fw_ids(await server_of(api, web1)) == [fid]
    assert fw_ids(await server_of(api, db)) == []

    web2 = (await api.create_server("web2", labels={"role": "web"})).body
    assert fw_ids(web2["server"]) == [fid]  # a server created later matches at once
    await api.put(f"/servers/{db}", {"labels": {"role": "web"}})
    await api.put(f"/servers/{web1}", {"labels": {}})
    firewall = (await api.get(f"/firewalls/{fid}")).body["firewall"]
    assert resources(firewall) == [db, web2["server"]["id"]]
    assert fw_ids(await server_of(api, web1)) == []

    by_server = await api.post(
        f"/firewalls/{fid}/actions/remove_from_resources",
        {"remove_from": [{"type": "server", "server": {"id": db}}]},
    )
    assert by_server.status == 422
    assert by_server.body["error"]["code"] == "firewall_managed_by_label_selector"

    listed = await api.get("/firewalls", params={"name": "fw"})
    assert listed.body["firewalls"][0]["applied_to"] == firewall["applied_to"]

    await api.post(f"/firewalls/{fid}/actions/remove_from_resources", {"remove_from": selector})
    assert fw_ids(await server_of(api, db)) == []
    assert (await api.get(f"/firewalls/{fid}")).body["firewall"]["applied_to"] == []


async def test_server_created_with_firewall_and_deleted(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    fid = (await api.post("/firewalls", {"name": "fw"})).body["firewall"]["id"]
    sid = (await api.create_server("web", firewalls=[{"firewall": fid}])).body["server"]["id"]
    assert fw_ids(await server_of(api, sid)) == [fid]
    assert fake.state.firewalls[fid]["applied_to"] == [{"type": "server", "server": {"id": sid}}]
    clock.advance(2.0)
    await api.delete(f"/servers/{sid}")
    clock.advance(1.0)
    assert (await api.get(f"/firewalls/{fid}")).body["firewall"]["applied_to"] == []
    assert (await api.delete(f"/firewalls/{fid}")).status == 204


async def test_set_rules_update_list_and_actions(api: Api, clock: ManualClock) -> None:
    sid = (await api.create_server("web", labels={"env": "prod"})).body["server"]["id"]
    fid = (
        await api.post(
            "/firewalls",
            {
                "name": "b-fw",
                "apply_to": [
                    {"type": "label_selector", "label_selector": {"selector": "env=prod"}}
                ],
            },
        )
    ).body["firewall"]["id"]
    await api.post("/firewalls", {"name": "a-fw", "labels": {"x": "y"}})
    out_rule = {"direction": "out", "protocol": "udp", "port": "53", "destination_ips": ["::/0"]}
    reply = await api.post(f"/firewalls/{fid}/actions/set_rules", {"rules": [RULE, out_rule]})
    assert [a["command"] for a in reply.body["actions"]] == ["set_firewall_rules", "apply_firewall"]
    assert reply.body["actions"][1]["resources"][0] == {"id": sid, "type": "server"}
    firewall = (await api.get(f"/firewalls/{fid}")).body["firewall"]
    assert [r["direction"] for r in firewall["rules"]] == ["in", "out"]
    cleared = await api.post(f"/firewalls/{fid}/actions/set_rules", {"rules": []})
    assert cleared.status == 201
    assert (await api.get(f"/firewalls/{fid}")).body["firewall"]["rules"] == []
    renamed = await api.put(f"/firewalls/{fid}", {"name": "c-fw", "labels": {"a": "b"}})
    assert renamed.body["firewall"]["name"] == "c-fw"
    names = await api.get("/firewalls", params={"sort": "name:desc"})
    assert [f["name"] for f in names.body["firewalls"]] == ["c-fw", "a-fw"]
    labelled = await api.get("/firewalls", params={"label_selector": "x=y"})
    assert [f["name"] for f in labelled.body["firewalls"]] == ["a-fw"]
    own = await api.get(f"/firewalls/{fid}/actions")
    assert own.body["meta"]["pagination"]["total_entries"] == 5
    every = await api.get("/firewalls/actions", params={"sort": "command"})
    assert every.body["actions"][0]["command"] == "apply_firewall"
