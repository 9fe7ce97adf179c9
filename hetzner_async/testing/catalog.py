"""The fake's built-in catalog: locations, datacenters, server types, images and ISOs.

Names and shapes follow the real API (``cx22``, ``debian-12``, ``fsn1``…); ids and prices are
plausible, not authoritative.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

__all__ = ["Catalog"]

Json = dict[str, Any]

_EPOCH = "2023-06-13T06:00:00+00:00"
_TB = 1024**4

_LOCATIONS: list[tuple[int, str, str, str, str, float, float, str]] = [
    (1, "fsn1", "Falkenstein DC Park 1", "DE", "Falkenstein", 50.47612, 12.370071, "eu-central"),
    (2, "nbg1", "Nuremberg DC Park 1", "DE", "Nuremberg", 49.452102, 11.076665, "eu-central"),
    (3, "hel1", "Helsinki DC Park 1", "FI", "Helsinki", 60.169855, 24.938379, "eu-central"),
    (4, "ash", "Ashburn, VA", "US", "Ashburn, VA", 39.045821, -77.487073, "us-east"),
    (5, "hil", "Hillsboro, OR", "US", "Hillsboro, OR", 45.54222, -122.951924, "us-west"),
    (6, "sin", "Singapore", "SG", "Singapore", 1.283333, 103.833333, "ap-southeast"),
]
_DATACENTERS: list[tuple[int, str, str]] = [
    (4, "fsn1-dc14", "fsn1"),
    (2, "nbg1-dc3", "nbg1"),
    (3, "hel1-dc2", "hel1"),
    (5, "ash-dc1", "ash"),
    (6, "hil-dc1", "hil"),
    (7, "sin-dc1", "sin"),
]
_EU = ("fsn1", "nbg1", "hel1")
_ALL = ("fsn1", "nbg1", "hel1", "ash", "hil", "sin")
# id, name, cores, memory GB, disk GB, cpu_type, architecture, category, locations, EUR/month
_SERVER_TYPES: list[tuple[int, str, int, float, int, str, str, str, tuple[str, ...], float]] = [
    (104, "cx22", 2, 4.0, 40, "shared", "x86", "cost_optimized", _EU, 3.79),
    (105, "cx32", 4, 8.0, 80, "shared", "x86", "cost_optimized", _EU, 6.80),
    (106, "cx42", 8, 16.0, 160, "shared", "x86", "cost_optimized", _EU, 16.40),
    (107, "cx52", 16, 32.0, 320, "shared", "x86", "cost_optimized", _EU, 32.40),
    (22, "cpx11", 2, 2.0, 40, "shared", "x86", "regular_purpose", _ALL, 4.35),
    (23, "cpx21", 3, 4.0, 80, "shared", "x86", "regular_purpose", _ALL, 7.55),
    (24, "cpx31", 4, 8.0, 160, "shared", "x86", "regular_purpose", _ALL, 13.60),
    (45, "cax11", 2, 4.0, 40, "shared", "arm", "cost_optimized", _EU, 3.79),
    (93, "cax21", 4, 8.0, 80, "shared", "arm", "cost_optimized", _EU, 6.49),
    (96, "ccx13", 2, 8.0, 80, "dedicated", "x86", "general_purpose", _ALL, 12.49),
]
# name, os_flavor, os_version, description, x86 id, arm id
_IMAGES: list[tuple[str, str, str, str, int, int]] = [
    ("debian-12", "debian", "12", "Debian 12", 114690387, 114690389),
    ("debian-11", "debian", "11", "Debian 11", 67794396, 103907373),
    ("ubuntu-24.04", "ubuntu", "24.04", "Ubuntu 24.04", 161547269, 161547270),
    ("ubuntu-22.04", "ubuntu", "22.04", "Ubuntu 22.04", 67794397, 103908130),
    ("fedora-41", "fedora", "41", "Fedora 41", 203813220, 203813221),
    ("rocky-9", "rocky", "9", "Rocky Linux 9", 76766499, 103908131),
    ("alma-9", "alma", "9", "AlmaLinux 9", 76766502, 103908132),
    ("centos-stream-9", "centos", "9", "CentOS Stream 9", 59752342, 103908133),
]
_ISOS: list[tuple[int, str, str, str]] = [
    (7631, "virtio-win-0.1.248.iso", "virtio 0.1.248-1", "x86"),
    (8637, "FreeBSD-14.1-RELEASE-amd64-dvd1.iso", "FreeBSD 14.1 x64", "x86"),
    (8638, "FreeBSD-14.1-RELEASE-arm64-dvd1.iso", "FreeBSD 14.1 arm64", "arm"),
]


def _price(amount: float) -> Json:
    return {"net": f"{amount:.4f}", "gross": f"{amount * 1.19:.4f}"}


class Catalog:
    """The fixed resources a project can use but not change, as API JSON objects."""

    def __init__(self) -> None:
        self.locations: dict[int, Json] = {}
        for lid, name, desc, country, city, lat, lon, zone in _LOCATIONS:
            self.locations[lid] = {
                "id": lid,
                "name": name,
                "description": desc,
                "country": country,
                "city": city,
                "latitude": lat,
                "longitude": lon,
                "network_zone": zone,
            }
        by_name = {loc["name"]: loc for loc in self.locations.values()}

        self.server_types: dict[int, Json] = {}
        for tid, name, cores, mem, disk, cpu, arch, cat, locs, eur in _SERVER_TYPES:
            self.server_types[tid] = {
                "id": tid,
                "name": name,
                "description": name.upper(),
                "cores": cores,
                "memory": mem,
                "disk": disk,
                "deprecated": False,
                "prices": [
                    {
                        "location": loc,
                        "price_hourly": _price(round(eur / 730, 4)),
                        "price_monthly": _price(eur),
                        "included_traffic": 20 * _TB if loc in _EU else 1 * _TB,
                        "price_per_tb_traffic": _price(1.0),
                    }
                    for loc in locs
                ],
                "storage_type": "local",
                "cpu_type": cpu,
                "category": cat,
                "architecture": arch,
                "deprecation": None,
                "locations": [
                    {
                        "id": by_name[loc]["id"],
                        "name": loc,
                        "deprecation": None,
                        "recommended": True,
                        "available": True,
                    }
                    for loc in locs
                ],
            }

        self.datacenters: dict[int, Json] = {}
        for did, name, loc in _DATACENTERS:
            type_ids = sorted(
                t["id"] for t in self.server_types.values() if loc in self.type_locations(t)
            )
            self.datacenters[did] = {
                "id": did,
                "name": name,
                "description": f"{by_name[loc]['city']} DC {name.split('-dc')[-1]}",
                "location": copy.deepcopy(by_name[loc]),
                "server_types": {
                    "supported": type_ids,
                    "available": type_ids,
                    "available_for_migration": type_ids,
                },
            }

        self.images: dict[int, Json] = {}
        for name, flavor, version, desc, x86_id, arm_id in _IMAGES:
            for iid, arch in ((x86_id, "x86"), (arm_id, "arm")):
                self.images[iid] = {
                    "id": iid,
                    "type": "system",
                    "status": "available",
                    "name": name,
                    "description": desc,
                    "image_size": None,
                    "disk_size": 5,
                    "created": _EPOCH,
                    "created_from": None,
                    "bound_to": None,
                    "os_flavor": flavor,
                    "os_version": version,
                    "rapid_deploy": True,
                    "protection": {"delete": False},
                    "deprecated": None,
                    "deleted": None,
                    "labels": {},
                    "architecture": arch,
                }

        self.isos: dict[int, Json] = {
            iid: {
                "id": iid,
                "name": name,
                "description": desc,
                "type": "public",
                "deprecation": None,
                "architecture": arch,
            }
            for iid, name, desc, arch in _ISOS
        }

    @staticmethod
    def type_locations(server_type: Json) -> list[str]:
        """Return the location names where a server type can be ordered."""
        return [loc["name"] for loc in server_type["locations"]]

    @staticmethod
    def _find(items: Iterable[Json], ident: str | int) -> Json | None:
        text = str(ident)
        for item in items:
            if str(item["id"]) == text or item.get("name") == text:
                return item
        return None

    def server_type(self, ident: str | int) -> Json | None:
        """Find a server type by id or name."""
        return self._find(self.server_types.values(), ident)

    def location(self, ident: str | int) -> Json | None:
        """Find a location by id or name."""
        return self._find(self.locations.values(), ident)

    def datacenter(self, ident: str | int) -> Json | None:
        """Find a datacenter by id or name."""
        return self._find(self.datacenters.values(), ident)

    def datacenter_in(self, location_name: str) -> Json:
        """Return the datacenter of a location."""
        for dc in self.datacenters.values():
            if dc["location"]["name"] == location_name:
                return dc
        raise KeyError(location_name)

    def image(self, ident: str | int, architecture: str) -> Json | None:
        """Find an image by id, or by name for the given CPU architecture."""
        text = str(ident)
        if text.isdigit():
            return self.images.get(int(text))
        for image in self.images.values():
            if image["name"] == text and image["architecture"] == architecture:
                return image
        return None

    def iso(self, ident: str | int) -> Json | None:
        """Find an ISO by id or name."""
        return self._find(self.isos.values(), ident)
