"""Library throughput: distinct reply lines explained per second on one core.

Builds N distinct reply lines from realistic shapes (addresses, hosts, IPs and ids vary, so no two
lines are equal), then times `analyse_reply` over all of them in this process, after the catalogue
is loaded and the analyser built (that one-off cost is reported separately).
Usage: python bench/replies.py [--lines N]
"""

from __future__ import annotations

import argparse
import random
import time

from smtpcodes.explain.analysis import analyser_for
from smtpcodes.catalogue.load import load_catalogue

SHAPES = [
    "host mx{n}.example.com[192.0.2.{o}] said: 550 5.1.1 <user{n}@example.com>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
    "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM. {id} - gsmtp",
    "421-4.7.0 [192.0.2.{o}] Our system has detected an unusual rate of unsolicited mail originating from your IP address. {id} - gsmtp",
    "Diagnostic-Code: smtp; 552 5.2.2 <user{n}@example.net>: Mailbox full, quota exceeded",
    "Remote Server returned '550 5.7.606 Access denied, banned sending IP [198.51.100.{o}]. {id}'",
    "SMTP error from remote mail server after RCPT TO:<user{n}@example.org>: 550 5.7.1 Service unavailable; Client host [203.0.113.{o}] blocked using zen.spamhaus.org",
    "451 4.7.1 Greylisting in action, please come back later ({id})",
    "554 5.7.1 <user{n}@example.com>: Relay access denied",
    "535 5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials {id} - gsmtp",
    "host mx.example.org[198.51.100.{o}] said: 452 4.5.3 Too many recipients ({n}) (in reply to RCPT TO command)",
    "553 5.7.2 [TSS09] All messages from 192.0.2.{o} will be permanently deferred; Retrying will NOT succeed. ({id})",
    "250 2.0.0 Ok: queued as {id}",
]


def distinct_lines(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for n in range(count):
        shape = SHAPES[n % len(SHAPES)]
        lines.append(shape.format(n=n, o=rng.randrange(1, 255), id=f"{rng.getrandbits(64):016x}"))
    assert len(set(lines)) == count
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    lines = distinct_lines(args.lines)
    start = time.perf_counter()
    analyser = analyser_for(load_catalogue())
    analyser.analyse(lines[0])
    setup = time.perf_counter() - start
    wall, cpu = time.perf_counter(), time.process_time()
    for line in lines:
        analyser.analyse(line)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"catalogue load + analyser build + first reply: {setup * 1000:.1f} ms")
    print(f"{len(lines):,} distinct reply lines: {len(lines) / cpu:,.0f} lines/s of CPU time "
          f"({cpu:.2f} s CPU, {wall:.2f} s wall; target >= 20,000 lines/s on one core)")


if __name__ == "__main__":
    main()
