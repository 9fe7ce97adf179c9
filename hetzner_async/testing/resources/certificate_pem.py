"""PEM and X.509 for the fake's certificates, with the standard library only.

``read_certificate`` checks an uploaded chain and private key as PEM and reads what the API
shows of the first (leaf) certificate: its domain names (subjectAltName DNS names, else the
subject's common name), validity and SHA-256 fingerprint, from a small DER reader. The key
is only checked to be a PEM private key (``cryptography`` is not a dependency: whether it
matches the certificate is not checked). ``mint_certificate`` builds what a managed
certificate is issued with: a DER X.509 certificate that parses like a real one, with a
well-known public key (the P-256 generator) and a random signature (it is never used for TLS).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CertificateInfo", "PemError", "mint_certificate", "read_certificate", "read_key"]

_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)
_KEY_LABELS = frozenset({"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"})
# Object identifiers, as their DER contents.
_OID_CN = bytes([0x55, 0x04, 0x03])  # 2.5.4.3 commonName
_OID_SAN = bytes([0x55, 0x1D, 0x11])  # 2.5.29.17 subjectAltName
_OID_ECDSA_SHA256 = bytes.fromhex("2a8648ce3d040302")  # 1.2.840.10045.4.3.2
_OID_EC_KEY = bytes.fromhex("2a8648ce3d0201")  # 1.2.840.10045.2.1
_OID_P256 = bytes.fromhex("2a8648ce3d030107")  # 1.2.840.10045.3.1.7
_SEQUENCE, _SET, _INTEGER, _BIT_STRING, _OCTET_STRING, _OID = 0x30, 0x31, 0x02, 0x03, 0x04, 0x06
_UTF8, _UTC_TIME, _GENERALIZED_TIME, _DNS_NAME = 0x0C, 0x17, 0x18, 0x82
_VERSION, _EXTENSIONS = 0xA0, 0xA3
# The generator of P-256: a valid public key whose private key is 1 (the minted certificate is
# never meant for TLS; its key only has to parse).
_P256_GENERATOR = bytes.fromhex(
    "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
    "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
)
#: Let's Encrypt certificates are valid for 90 days.
MANAGED_VALIDITY = dt.timedelta(days=90)


class PemError(ValueError):
    """The text is not what the API accepts (the message never quotes it)."""


@dataclass(frozen=True)
class CertificateInfo:
    """What the API shows of an X.509 certificate."""

    domain_names: list[str]
    not_valid_before: str
    not_valid_after: str
    fingerprint: str


# --- reading ---------------------------------------------------------------------------------


def _blocks(text: str) -> list[tuple[str, bytes]]:
    found = []
    for match in _BLOCK.finditer(text):
        body = "".join(match.group(2).split())
        try:
            found.append((match.group(1), base64.b64decode(body, validate=True)))
        except (binascii.Error, ValueError):
            raise PemError(f"the {match.group(1)} block is not valid base64") from None
    return found


def _tlv(data: bytes, offset: int) -> tuple[int, bytes, int]:
    """Read one DER element at ``offset``: its tag, its contents and the offset after it."""
    if offset + 2 > len(data):
        raise PemError("truncated DER")
    tag, size = data[offset], data[offset + 1]
    offset += 2
    if size & 0x80:
        count = size & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise PemError("bad DER length")
        size = int.from_bytes(data[offset : offset + count], "big")
        offset += count
    end = offset + size
    if end > len(data):
        raise PemError("truncated DER")
    return tag, data[offset:end], end


def _children(contents: bytes) -> list[tuple[int, bytes]]:
    out, offset = [], 0
    while offset < len(contents):
        tag, value, offset = _tlv(contents, offset)
        out.append((tag, value))
    return out


def _time(tag: int, value: bytes) -> str:
    text = value.decode("ascii", "replace")
    formats = {_UTC_TIME: "%y%m%d%H%M%SZ", _GENERALIZED_TIME: "%Y%m%d%H%M%SZ"}
    if tag not in formats:
        raise PemError("bad validity time")
    try:
        stamp = dt.datetime.strptime(text, formats[tag]).replace(tzinfo=dt.UTC)
    except ValueError:
        raise PemError("bad validity time") from None
    return stamp.isoformat(timespec="seconds")


def _common_names(name: bytes) -> list[str]:
    names = []
    for _, rdn in _children(name):
        for _, attribute in _children(rdn):
            parts = _children(attribute)
            if len(parts) == 2 and parts[0] == (_OID, _OID_CN):
                names.append(parts[1][1].decode("utf-8", "replace"))
    return names


def _san_dns_names(extensions: bytes) -> list[str]:
    for _, extension in (e for tag, seq in _children(extensions) for e in _children(seq)):
        parts = _children(extension)
        if parts and parts[0] == (_OID, _OID_SAN):
            general_names = _children(parts[-1][1])
            if len(general_names) == 1 and general_names[0][0] == _SEQUENCE:
                names = _children(general_names[0][1])
                return [v.decode("ascii", "replace") for tag, v in names if tag == _DNS_NAME]
    return []


def parse_der(der: bytes) -> CertificateInfo:
    """Read domain names, validity and fingerprint from a DER X.509 certificate."""
    tag, certificate, end = _tlv(der, 0)
    if tag != _SEQUENCE or end != len(der):
        raise PemError("not an X.509 certificate")
    parts = _children(certificate)
    if len(parts) != 3 or parts[0][0] != _SEQUENCE:
        raise PemError("not an X.509 certificate")
    fields = _children(parts[0][1])
    if fields and fields[0][0] == _VERSION:
        fields = fields[1:]
    if len(fields) < 6 or fields[0][0] != _INTEGER or fields[3][0] != _SEQUENCE:
        raise PemError("not an X.509 certificate")
    validity = _children(fields[3][1])
    if len(validity) != 2:
        raise PemError("bad validity")
    extensions = next((value for tag, value in fields[6:] if tag == _EXTENSIONS), b"")
    domains = (_san_dns_names(extensions) if extensions else []) or _common_names(fields[4][1])
    digest = hashlib.sha256(der).hexdigest()
    return CertificateInfo(
        domain_names=domains,
        not_valid_before=_time(*validity[0]),
        not_valid_after=_time(*validity[1]),
        fingerprint=":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
    )


def read_certificate(text: str) -> CertificateInfo:
    """Check a PEM chain (one or more CERTIFICATE blocks); read its first certificate."""
    blocks = _blocks(text)
    if not blocks or any(label != "CERTIFICATE" for label, _ in blocks):
        raise PemError("must be one or more PEM 'CERTIFICATE' blocks")
    return parse_der(blocks[0][1])


def read_key(text: str) -> None:
    """Check a PEM private key: one unencrypted key block holding a DER sequence."""
    blocks = _blocks(text)
    if len(blocks) != 1 or blocks[0][0] not in _KEY_LABELS:
        raise PemError("must be one unencrypted PEM private key ('PRIVATE KEY' block)")
    tag, _, end = _tlv(blocks[0][1], 0)
    if tag != _SEQUENCE or end != len(blocks[0][1]):
        raise PemError("the private key is not DER")


# --- minting ---------------------------------------------------------------------------------


def _der(tag: int, contents: bytes) -> bytes:
    size = len(contents)
    if size < 0x80:
        return bytes([tag, size]) + contents
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + contents


def _seq(*items: bytes) -> bytes:
    return _der(_SEQUENCE, b"".join(items))


def _name(common_name: str) -> bytes:
    attribute = _seq(_der(_OID, _OID_CN), _der(_UTF8, common_name.encode()))
    return _seq(_der(_SET, attribute))


def _der_time(stamp: dt.datetime) -> bytes:
    if stamp.year < 2050:  # RFC 5280 §4.1.2.5
        return _der(_UTC_TIME, stamp.strftime("%y%m%d%H%M%SZ").encode())
    return _der(_GENERALIZED_TIME, stamp.strftime("%Y%m%d%H%M%SZ").encode())


def _positive(raw: bytes) -> bytes:
    return _der(_INTEGER, bytes([raw[0] & 0x7F]) + raw[1:])


def mint_certificate(domain_names: Sequence[str], not_before: dt.datetime) -> tuple[str, bytes]:
    """Return a PEM certificate for these domains, valid for 90 days, and its DER."""
    algorithm = _seq(_der(_OID, _OID_ECDSA_SHA256))
    point = b"\x00\x04" + _P256_GENERATOR
    key_info = _seq(_seq(_der(_OID, _OID_EC_KEY), _der(_OID, _OID_P256)), _der(_BIT_STRING, point))
    san = _seq(*(_der(_DNS_NAME, name.encode("ascii")) for name in domain_names))
    extensions = _der(_EXTENSIONS, _seq(_seq(_der(_OID, _OID_SAN), _der(_OCTET_STRING, san))))
    start = not_before.astimezone(dt.UTC).replace(microsecond=0)
    tbs = _seq(
        _der(_VERSION, _der(_INTEGER, b"\x02")),
        _positive(secrets.token_bytes(16)),
        algorithm,
        _name("hetzner-async fake CA"),
        _seq(_der_time(start), _der_time(start + MANAGED_VALIDITY)),
        _name(domain_names[0]),
        key_info,
        extensions,
    )
    signature = _seq(_positive(secrets.token_bytes(32)), _positive(secrets.token_bytes(32)))
    der = _seq(tbs, algorithm, _der(_BIT_STRING, b"\x00" + signature))
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    pem = "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----", ""])
    return pem, der
