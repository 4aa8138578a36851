"""Where to connect: MX hosts in preference order, implicit MX and Null MX (RFC 5321 §5.1, RFC 7505)."""

import ipaddress
from typing import Any, NamedTuple, Protocol

from smtpcodes.probe.model import Options, Step

LOOPBACK = "127.0.0.1"


class DnsFailure(Exception):
    """A lookup gave no usable answer; `kind` is nxdomain, no-data or dns-failure."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class Resolver(Protocol):
    """The two questions a probe asks DNS; tests give their own answers."""

    def mx(self, name: str) -> list[tuple[int, str]]: ...

    def addresses(self, name: str) -> list[str]: ...


class Destination(NamedTuple):
    host: str | None  # the name to check a certificate against; None for an IP literal
    address: str


class Plan(NamedTuple):
    """Where to connect, the DNS steps of the transcript, and the verdict key if DNS ends it."""

    destinations: list[Destination]
    steps: list[Step]
    failure: str | None


class DnspythonResolver:
    """The system's resolver (or given name servers) through dnspython, with a time limit."""

    def __init__(self, timeout: float, nameservers: list[str] | None = None, port: int = 53):
        import dns.resolver

        try:
            self.resolver = dns.resolver.Resolver(configure=nameservers is None)
        except dns.resolver.NoResolverConfiguration:
            self.resolver = dns.resolver.Resolver(configure=False)
        if nameservers is not None:
            self.resolver.nameservers = nameservers
            self.resolver.port = port
        self.resolver.lifetime = timeout
        self.resolver.timeout = min(timeout, 5.0)

    def _query(self, name: str, rdtype: str) -> Any:
        import dns.exception
        import dns.resolver

        try:
            answer = self.resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            raise DnsFailure("nxdomain") from None
        except (dns.exception.DNSException, OSError):
            # SERVFAIL from every server, a timeout, no name server configured
            raise DnsFailure("dns-failure") from None
        if answer.rrset is None:
            raise DnsFailure("no-data")
        return answer.rrset

    def mx(self, name: str) -> list[tuple[int, str]]:
        return [(r.preference, r.exchange.to_text(omit_final_dot=True) or ".") for r in self._query(name, "MX")]

    def addresses(self, name: str) -> list[str]:
        found: list[str] = []
        failure = None
        for rdtype in ("A", "AAAA"):
            try:
                found.extend(r.address for r in self._query(name, rdtype))
            except DnsFailure as exc:
                failure = failure if failure == "nxdomain" else exc.kind
        if not found:
            raise DnsFailure(failure or "no-data")
        return found


def ip_literal(target: str) -> str | None:
    """The address in 192.0.2.1, [192.0.2.1], 2001:db8::1 or [IPv6:2001:db8::1]; else None."""
    text = target[1:-1] if target.startswith("[") and target.endswith("]") else target
    if text[:5].lower() == "ipv6:":
        text = text[5:]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def plan_destinations(options: Options, resolver: Resolver) -> Plan:
    """Destinations in the order an MTA tries them: a literal as given, a submission host as
    given, otherwise the MX hosts by preference (ties by name, so a transcript is repeatable)."""
    target = options.target.rstrip(".")
    literal = ip_literal(target)
    if literal is not None:
        step = Step("dns", "skipped", "dns-literal", params={"address": literal})
        return Plan([Destination(None, literal)], [step], None)
    if target.lower() == "localhost" or target.lower().endswith(".localhost"):
        # Names under localhost are this machine, never looked up in DNS (RFC 6761 section 6.3).
        step = Step("dns", "skipped", "dns-localhost", target, params={"host": target, "address": LOOPBACK})
        return Plan([Destination(target, LOOPBACK)], [step], None)
    if options.is_submission:
        return _host_as_given(target, resolver)
    try:
        records = resolver.mx(target)
    except DnsFailure as exc:
        if exc.kind == "no-data":
            return _implicit_mx(target, resolver)
        return _failed(exc.kind, target, "MX")
    if any(host in (".", "") for _, host in records):
        facts = {"mx": [{"preference": p, "host": h} for p, h in records]}
        return Plan([], [Step("dns", "failed", "null-mx", params={"domain": target}, facts=facts)], "null-mx")
    records.sort(key=lambda record: (record[0], record[1].lower()))
    mx_facts = [{"preference": p, "host": h} for p, h in records]
    steps = [Step("dns", "ok", "dns-mx", params={"domain": target, "count": len(records)}, facts={"mx": mx_facts})]
    destinations: list[Destination] = []
    for preference, host in records:
        try:
            addresses = resolver.addresses(host)
        except DnsFailure as exc:
            steps.append(Step("dns", "failed", "dns-mx-host", host=host, params={"host": host, "problem": exc.kind}))
            continue
        steps.append(Step("dns", "ok", "dns-address", host=host, params={"host": host},
                          facts={"addresses": addresses, "preference": preference}))
        destinations.extend(Destination(host, address) for address in addresses)
    if not destinations:
        return Plan([], steps, "mx-unresolved")
    return Plan(destinations[: options.max_addresses], steps, None)


def _implicit_mx(domain: str, resolver: Resolver) -> Plan:
    """No MX: the domain's own address is the MX (RFC 5321 §5.1); neither: no mail for it."""
    try:
        addresses = resolver.addresses(domain)
    except DnsFailure as exc:
        kind = "no-mx-no-address" if exc.kind in ("no-data", "nxdomain") else exc.kind
        return _failed(kind, domain, "A")
    step = Step("dns", "ok", "dns-implicit-mx", host=domain, params={"domain": domain}, facts={"addresses": addresses})
    return Plan([Destination(domain, a) for a in addresses], [step], None)


def _host_as_given(host: str, resolver: Resolver) -> Plan:
    try:
        addresses = resolver.addresses(host)
    except DnsFailure as exc:
        return _failed("no-address" if exc.kind == "no-data" else exc.kind, host, "A")
    step = Step("dns", "ok", "dns-host", host=host, params={"host": host}, facts={"addresses": addresses})
    return Plan([Destination(host, a) for a in addresses], [step], None)


def _failed(kind: str, name: str, rdtype: str) -> Plan:
    return Plan([], [Step("dns", "failed", kind, params={"domain": name, "type": rdtype})], kind)
