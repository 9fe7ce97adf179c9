"""SSH keys: MD5 fingerprints of real keys, uniqueness, filters, update, delete."""

import base64
import hashlib

import pytest

from hetzner_async.testing.resources.ssh_keys import fingerprint

from .conftest import Api

ED25519 = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEEzathDQEO4xm/Fh+Tzlyib4EyErZgX8zHkKAfC3CM "
    "alice@example.com"
)
RSA = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDgVu0yjkxBSbOBQMvMq8OMf28cKILzvYfmmzj2h4D5/Fz89ohRKi4u"
    "Bld1YuLrRVsKi90K/ebbhJ3m8b4lN08446xE5nkvhs1QbWvXofwobc3gxhHkPNek/f//Hnoss1BXxrBgZvzvYP6251tA"
    "lzugDJrTqQCN5HdxuwPsrdniaXOzEdWtw3i4yeIZNNR9Kf+h5Dii3wRXxpsKjTg3NN+fWsT9kPVk+O1LrO3/xWhXjcgD"
    "xHFE25T/eVIb1pqY46+dXwoi34Dhz7YbVaHTWQR0h9rOGhrYabswNfj4G6dmwUmLC842B10Fzr0XjBqDzhphgNuVXyag"
    "MZTbvHf/LXpB bob@example.com"
)
CAROL = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFR6IpL5bZFq8dFMTAxq4yiA3M5Szuwzt+BOQm3frY1z carol"


def md5_of(public_key: str) -> str:
    digest = hashlib.md5(base64.b64decode(public_key.split()[1])).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def test_fingerprints_match_ssh_keygen() -> None:
    # `ssh-keygen -l -E md5` printed these for the two keys.
    assert fingerprint(ED25519) == "0a:c3:5b:bd:0a:5d:66:99:60:f1:5a:66:4e:b5:a9:28"
    assert fingerprint(RSA) == "4c:ff:f6:ba:3d:59:72:21:fb:d9:71:e3:12:ca:53:b6"
    assert fingerprint(CAROL) == md5_of(CAROL)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "ssh-ed25519",
        "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIAEEzathDQEO4xm",
        "ssh-ed25519 not-base64!!",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIAEEzathDQEO4xm/Fh+Tzlyib4EyErZgX8zHkKAfC3CM",
    ],
)
async def test_unparsable_keys_are_invalid_input(api: Api, key: str) -> None:
    reply = await api.post("/ssh_keys", {"name": "k", "public_key": key})
    assert reply.status == 422
    assert reply.body["error"]["code"] == "invalid_input"
    assert reply.body["error"]["details"]["fields"][0]["name"] == "public_key"


async def test_create_get_update_delete(api: Api) -> None:
    created = await api.post(
        "/ssh_keys", {"name": "alice", "public_key": ED25519, "labels": {"a": "b"}}
    )
    assert created.status == 201
    key = created.body["ssh_key"]
    assert key["fingerprint"] == md5_of(ED25519)
    assert key["public_key"] == ED25519
    assert key["labels"] == {"a": "b"}
    assert (await api.get(f"/ssh_keys/{key['id']}")).body["ssh_key"] == key
    updated = await api.put(f"/ssh_keys/{key['id']}", {"name": "alice2", "labels": {}})
    assert updated.body["ssh_key"]["name"] == "alice2"
    assert updated.body["ssh_key"]["labels"] == {}
    deleted = await api.delete(f"/ssh_keys/{key['id']}")
    assert deleted.status == 204
    assert deleted.body is None
    assert (await api.get(f"/ssh_keys/{key['id']}")).status == 404


async def test_duplicates_are_uniqueness_errors(api: Api) -> None:
    await api.post("/ssh_keys", {"name": "alice", "public_key": ED25519})
    same_key = await api.post("/ssh_keys", {"name": "other", "public_key": ED25519})
    assert same_key.status == 409
    assert same_key.body["error"]["code"] == "uniqueness_error"
    assert same_key.body["error"]["details"] == {"fields": [{"name": "public_key"}]}
    same_name = await api.post("/ssh_keys", {"name": "alice", "public_key": RSA})
    assert same_name.status == 409
    assert same_name.body["error"]["details"] == {"fields": [{"name": "name"}]}
    bob = (await api.post("/ssh_keys", {"name": "bob", "public_key": RSA})).body["ssh_key"]
    rename = await api.put(f"/ssh_keys/{bob['id']}", {"name": "alice"})
    assert rename.status == 409


async def test_list_filters_and_sort(api: Api) -> None:
    await api.post("/ssh_keys", {"name": "b", "public_key": ED25519, "labels": {"team": "x"}})
    await api.post("/ssh_keys", {"name": "a", "public_key": RSA})
    await api.post("/ssh_keys", {"name": "c", "public_key": CAROL, "labels": {"team": "y"}})

    async def names(params: object) -> list[str]:
        reply = await api.get("/ssh_keys", params=params)
        assert reply.status == 200, reply.body
        return [k["name"] for k in reply.body["ssh_keys"]]

    assert await names({}) == ["b", "a", "c"]
    assert await names({"sort": "name"}) == ["a", "b", "c"]
    assert await names({"sort": "id:desc"}) == ["c", "a", "b"]
    assert await names({"name": "a"}) == ["a"]
    assert await names({"fingerprint": md5_of(RSA)}) == ["a"]
    assert await names({"label_selector": "team"}) == ["b", "c"]
    assert await names({"label_selector": "team notin (x)"}) == ["a", "c"]
    assert (await api.get("/ssh_keys", params={"sort": "created"})).status == 422
