"""TLS for STARTTLS and port 465: the handshake, and what the certificate and protocol say."""

from __future__ import annotations

import ipaddress
import socket
import ssl
from typing import Any

# OpenSSL verify codes that mean "expired" or "not yet valid" rather than "not trusted".
_EXPIRED = {9, 10}


class TlsFailure(Exception):
    """The handshake failed; `kind` is a [messages.probe] key, `facts` what was learnt."""

    def __init__(self, kind: str, facts: dict[str, Any]):
        super().__init__(kind)
        self.kind = kind
        self.facts = facts


def client_context(verify: bool, cafile: str | None = None) -> ssl.SSLContext:
    """Verifying contexts check the chain; the name is checked here, so a mismatch can be
    reported with the names the certificate does carry."""
    context = ssl.create_default_context()
    if cafile:
        context.load_verify_locations(cafile=cafile)
    context.check_hostname = False
    if not verify:
        context.verify_mode = ssl.CERT_NONE
    return context


def handshake(sock: socket.socket, host: str | None, context: ssl.SSLContext, timeout: float) -> ssl.SSLSocket:
    """Wrap `sock`; SNI carries the host name (never an IP address, RFC 6066)."""
    sock.settimeout(timeout)
    verifying = context.verify_mode != ssl.CERT_NONE
    try:
        return context.wrap_socket(sock, server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        kind = "cert-expired" if exc.verify_code in _EXPIRED else "cert-untrusted"
        raise TlsFailure(kind, {"chain_verified": False, "error": str(exc.verify_message or exc)}) from None
    except (socket.timeout, TimeoutError):
        raise TlsFailure("tls-timeout", {}) from None
    except (ssl.SSLError, OSError) as exc:
        detail = getattr(exc, "reason", None) or exc.__class__.__name__
        raise TlsFailure("tls-handshake-failed", {"error": str(detail), "verified": verifying}) from None


def certificate_facts(tls: ssl.SSLSocket, host: str | None, verified: bool) -> dict[str, Any]:
    """Protocol, cipher and, when the chain was verified, the certificate's names and dates."""
    facts: dict[str, Any] = {"protocol": tls.version(), "cipher": (tls.cipher() or ("",))[0],
                             "chain_verified": verified}
    cert: Any = tls.getpeercert() if verified else None
    if cert:
        names = [value for kind, value in cert.get("subjectAltName", ()) if kind in ("DNS", "IP Address")]
        subject = dict(pair for rdn in cert.get("subject", ()) for pair in rdn)
        issuer = dict(pair for rdn in cert.get("issuer", ()) for pair in rdn)
        facts.update({
            "names": names or ([subject["commonName"]] if "commonName" in subject else []),
            "subject": subject.get("commonName", ""),
            "issuer": issuer.get("organizationName") or issuer.get("commonName", ""),
            "not_after": cert.get("notAfter", ""),
        })
        facts["name_matches"] = name_matches(host, facts["names"]) if host else None
    return facts


def name_matches(host: str, names: list[str]) -> bool:
    """RFC 6125 matching: exact, or a wildcard standing for the whole left-most label."""
    wanted = host.rstrip(".").lower()
    if not wanted.isascii():
        try:
            wanted = wanted.encode("idna").decode("ascii")  # certificates carry A-labels (xn--)
        except UnicodeError:
            return False
    try:
        address = ipaddress.ip_address(wanted)
    except ValueError:
        address = None
    for name in names:
        name = name.rstrip(".").lower()
        if address is not None:
            if _same_address(name, address):
                return True
        elif name == wanted:
            return True
        elif name.startswith("*.") and "." in wanted:
            first, rest = wanted.split(".", 1)
            if first and rest == name[2:] and "." in rest:
                return True
    return False


def _same_address(name: str, address: Any) -> bool:
    try:
        return bool(ipaddress.ip_address(name) == address)
    except ValueError:
        return False
