"""Primary IPs read without their deprecated ``datacenter``, the day the API stops sending it."""

from __future__ import annotations

import cattrs
import pytest

from hetzner_async._convert import converter, strict_converter, structure, unstructure
from hetzner_async.models import IPType, PrimaryIP

from .._spec import response_example


@pytest.mark.parametrize("conv", [converter, strict_converter], ids=["lenient", "strict"])
def test_a_primary_ip_without_datacenter_reads_and_writes_back_without_it(
    conv: cattrs.Converter,
) -> None:
    data = response_example("POST", "/v1/primary_ips")["primary_ip"]
    del data["datacenter"]
    primary_ip = structure(conv, data, PrimaryIP)
    assert primary_ip.datacenter is None
    assert primary_ip.type is IPType.IPV6
    assert unstructure(conv, primary_ip) == data


def test_a_primary_ip_with_datacenter_keeps_it() -> None:
    data = response_example("POST", "/v1/primary_ips")["primary_ip"]
    primary_ip = structure(strict_converter, data, PrimaryIP)
    assert primary_ip.datacenter is not None
    assert primary_ip.datacenter.name == "fsn1-dc8"
