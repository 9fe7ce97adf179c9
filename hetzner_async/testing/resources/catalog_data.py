"""The fake's built-in catalog as API JSON: locations, types, system images, ISOs and prices.

Names and shapes follow the real API (``cx22``, ``debian-12``, ``fsn1``…); ids and prices are
plausible, not authoritative.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = [
    "datacenters",
    "images",
    "isos",
    "load_balancer_types",
    "locations",
    "pricing",
    "server_types",
    "type_locations",
]

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
# id, name, max connections, services, targets, certificates, EUR/month
_LOAD_BALANCER_TYPES: list[tuple[int, str, int, int, int, int, float]] = [
    (1, "lb11", 10_000, 5, 25, 10, 5.39),
    (2, "lb21", 20_000, 15, 75, 25, 16.40),
    (3, "lb31", 40_000, 30, 150, 50, 32.90),
]
_ISOS: list[tuple[int, str, str, str]] = [
    (7631, "virtio-win-0.1.248.iso", "virtio 0.1.248-1", "x86"),
    (8637, "FreeBSD-14.1-RELEASE-amd64-dvd1.iso", "FreeBSD 14.1 x64", "x86"),
    (8638, "FreeBSD-14.1-RELEASE-arm64-dvd1.iso", "FreeBSD 14.1 arm64", "arm"),
]


def _price(amount: float) -> Json:
    return {"net": f"{amount:.4f}", "gross": f"{amount * 1.19:.4f}"}


def _traffic_price(location: str, eur: float) -> Json:
    return {
        "location": location,
        "price_hourly": _price(round(eur / 730, 4)),
        "price_monthly": _price(eur),
        "included_traffic": 20 * _TB if location in _EU else 1 * _TB,
        "price_per_tb_traffic": _price(1.0),
    }


def locations() -> list[Json]:
    """Return the locations."""
    return [
        {
            "id": lid,
            "name": name,
            "description": desc,
            "country": country,
            "city": city,
            "latitude": lat,
            "longitude": lon,
            "network_zone": zone,
        }
        for lid, name, desc, country, city, lat, lon, zone in _LOCATIONS
    ]


def _location_ids() -> dict[str, int]:
    return {name: lid for lid, name, *_ in _LOCATIONS}


def server_types() -> list[Json]:
    """Return the server types, each with its prices and locations."""
    location_ids = _location_ids()
    return [
        {
            "id": tid,
            "name": name,
            "description": name.upper(),
            "cores": cores,
            "memory": mem,
            "disk": disk,
            "deprecated": False,
            "prices": [_traffic_price(loc, eur) for loc in locs],
            "storage_type": "local",
            "cpu_type": cpu,
            "category": cat,
            "architecture": arch,
            "deprecation": None,
            "locations": [
                {
                    "id": location_ids[loc],
                    "name": loc,
                    "deprecation": None,
                    "recommended": True,
                    "available": True,
                }
                for loc in locs
            ],
        }
        for tid, name, cores, mem, disk, cpu, arch, cat, locs, eur in _SERVER_TYPES
    ]


def type_locations(server_type: Json) -> list[str]:
    """Return the location names where a server type can be ordered."""
    return [loc["name"] for loc in server_type["locations"]]


def datacenters() -> list[Json]:
    """Return the datacenters, each with the server types it offers."""
    by_name = {loc["name"]: loc for loc in locations()}
    types = server_types()
    found = []
    for did, name, loc in _DATACENTERS:
        type_ids = sorted(t["id"] for t in types if loc in type_locations(t))
        found.append(
            {
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
        )
    return found


def images() -> list[Json]:
    """Return the system images, one per name and architecture."""
    found = []
    for name, flavor, version, desc, x86_id, arm_id in _IMAGES:
        for iid, arch in ((x86_id, "x86"), (arm_id, "arm")):
            found.append(
                {
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
            )
    return found


def isos() -> list[Json]:
    """Return the public ISOs."""
    return [
        {
            "id": iid,
            "name": name,
            "description": desc,
            "type": "public",
            "deprecation": None,
            "architecture": arch,
        }
        for iid, name, desc, arch in _ISOS
    ]


def load_balancer_types() -> list[Json]:
    """Return the load balancer types, each with its prices."""
    return [
        {
            "id": tid,
            "name": name,
            "description": name.upper(),
            "max_connections": connections,
            "max_services": services,
            "max_targets": targets,
            "max_assigned_certificates": certificates,
            "deprecated": None,
            "prices": [_traffic_price(loc, eur) for loc in _ALL],
        }
        for tid, name, connections, services, targets, certificates, eur in _LOAD_BALANCER_TYPES
    ]


def pricing() -> Json:
    """Return the ``GET /pricing`` object."""
    return {
        "currency": "EUR",
        "vat_rate": "19.00",
        "primary_ips": [
            {
                "type": kind,
                "prices": [
                    {
                        "location": loc,
                        "price_hourly": _price(hourly),
                        "price_monthly": _price(monthly),
                    }
                    for loc in _ALL
                ],
            }
            for kind, hourly, monthly in (("ipv4", 0.0008, 0.50), ("ipv6", 0.0, 0.0))
        ],
        "floating_ips": [
            {
                "type": kind,
                "prices": [{"location": loc, "price_monthly": _price(monthly)} for loc in _ALL],
            }
            for kind, monthly in (("ipv4", 3.0), ("ipv6", 3.0))
        ],
        "floating_ip": {"price_monthly": _price(3.0)},
        "image": {"price_per_gb_month": _price(0.011)},
        "volume": {"price_per_gb_month": _price(0.044)},
        "server_backup": {"percentage": "20.00"},
        "server_types": [
            {"id": t["id"], "name": t["name"], "prices": t["prices"]} for t in server_types()
        ],
        "load_balancer_types": [
            {"id": t["id"], "name": t["name"], "prices": t["prices"]} for t in load_balancer_types()
        ],
    }
