"""Speed and peak memory of `smtpcodes scan`, as ratios to grep and pflogsumm measured in the same run.

Two workloads: genlog's log, where most replies repeat (`--genlog PATH` to the shared genlog.py), and
this script's own log with many distinct replies. This script generates a realistic Postfix log (deliveries, deferrals with and without a server reply, bounces,
smtpd and postscreen rejects, and the noise around them: connect/disconnect, cleanup, qmgr, TLS,
anvil) into a temporary directory, then times on the same file:

  smtpcodes scan -j1 FILE | cat > /dev/null        (the summary, as a postmaster reads it)
  smtpcodes scan --json -j1 FILE > records.json
  smtpcodes scan --json -j2 FILE > records.json    (and the summary with -j2)
  grep -cE '[245][0-9][0-9][ -][245]\\.[0-9]{1,3}\\.[0-9]{1,3}' FILE
  pflogsumm FILE                   (Debian package pflogsumm; reported as missing if not installed)

and reports wall and CPU times (CPU is steadier on a busy machine), the ratios, and the peak RSS
of smtpcodes (from wait4's rusage). A second,
larger file checks that peak memory does not grow with the input.

Usage: python bench/scan.py [--lines 1000000] [--memory-lines 4000000] [--runs 1] [--keep DIR] [--genlog PATH]
Run it with the Python of the environment smtpcodes is installed in. Not a test; never run by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GREP_PATTERN = r"[245][0-9][0-9][ -][245]\.[0-9]{1,3}\.[0-9]{1,3}"
# Issue 11: one core <= 0.15x pflogsumm on genlog's log, <= 0.2x on this script's many-distinct log,
# <= 15x grep; --jobs 2 >= 1.7x one core; 60 MiB for one process, 30 MiB more per worker.
TARGETS = {"genlog": 0.15, "distinct": 0.2}
TARGET_GREP, TARGET_SPEEDUP, TARGET_MIB, TARGET_WORKER_MIB = 15.0, 1.7, 60, 30
# The shared genlog.py beside the checkout (../shared) or beside its worktree folder (../../shared).
GENLOG = next((p / "shared" / "bench" / "genlog.py" for p in Path(__file__).resolve().parents[1:4]
               if (p / "shared" / "bench" / "genlog.py").exists()), Path("genlog.py"))
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ALPHABET = "BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789"

# Remote replies as real receiving servers word them (the hosts are documentation names).
SENT = (
    "250 2.0.0 Ok: queued as {id}",
    "250 2.0.0 OK  {ts} {gid} - gsmtp",
    "250 2.6.0 <{msgid}> [InternalId={num}, Hostname=AM0PR01MB{n4}.eurprd01.prod.example.net] 12345 bytes in 0.120, 98.120 KB/sec Queued mail for delivery",
    "250 OK id={eid}",
    "250 2.0.0 {id} Message accepted for delivery",
)
DEFERRED = (
    "host {mx}[{ip}] said: 450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.example.org/help/{domain} (in reply to RCPT TO command)",
    "host {mx}[{ip}] said: 421 4.7.0 [{client} 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. (in reply to end of DATA command)",
    "host {mx}[{ip}] said: 452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.example.com/mail/?p=OverQuotaTemp {gid} - gsmtp (in reply to RCPT TO command)",
    "host {mx}[{ip}] said: 451 4.3.0 Temporary server error. Please try again later (in reply to end of DATA command)",
    "host {mx}[{ip}] said: 451 4.7.1 Service unavailable - try again later (in reply to MAIL FROM command)",
    "connect to {mx}[{ip}]:25: Connection timed out",
    "connect to {mx}[{ip}]:25: Connection refused",
    "lost connection with {mx}[{ip}] while receiving the initial server greeting",
    "Host or domain name not found. Name service error for name={domain} type=MX: Host not found, try again",
)
BOUNCED = (
    "host {mx}[{ip}] said: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
    "host {mx}[{ip}] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.example.com/mail/?p=NoSuchUser {gid} - gsmtp (in reply to RCPT TO command)",
    "host {mx}[{ip}] said: 552 5.2.2 <{rcpt}>: Mailbox full (in reply to RCPT TO command)",
    "host {mx}[{ip}] said: 550 5.7.1 Service unavailable, Client host [{client}] blocked using zen.example.org; https://www.example.org/query/ip/{client} (in reply to RCPT TO command)",
    "host {mx}[{ip}] said: 554 5.7.1 Message rejected as spam by Content Filtering. (in reply to end of DATA command)",
    "host {mx}[{ip}] said: 550 5.7.26 This mail has been blocked because the sender is unauthenticated. {gid} - gsmtp (in reply to end of DATA command)",
    "host {mx}[{ip}] said: 552 5.3.4 Message size exceeds fixed maximum message size (in reply to end of DATA command)",
)
REJECTS = (
    "554 5.7.1 <{rcpt}>: Relay access denied",
    "450 4.1.2 <{rcpt}>: Recipient address rejected: Domain not found",
    "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in local recipient table",
    "554 5.7.1 Service unavailable; Client host [{client}] blocked using zen.example.org; https://www.example.org/query/ip/{client}",
    "450 4.7.1 Client host rejected: cannot find your hostname, [{client}]",
    "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",
)


class Generator:
    """Writes whole mail transactions the way Postfix logs them, with ids, hosts and addresses varying."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.clock = 1_764_374_400  # 2025-11-29 00:00:00 UTC
        self.domains = [f"d{i}.example.{tld}" for i in range(60) for tld in ("com", "net", "org")]
        self.pid = 1000

    def qid(self) -> str:
        return "".join(self.rng.choice(ALPHABET) for _ in range(15))

    def address(self) -> str:
        return f"user{self.rng.randrange(20000)}@{self.rng.choice(self.domains)}"

    def ip(self, net: str) -> str:
        return f"{net}.{self.rng.randrange(1, 255)}"

    def stamp(self) -> str:
        self.clock += self.rng.random() < 0.3
        t = time.gmtime(self.clock)
        return f"{MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} mx1"

    def fill(self, template: str, rcpt: str) -> str:
        domain = rcpt.split("@")[1]
        r = self.rng
        return template.format(
            id=self.qid()[:12], ts=self.clock, gid=f"{self.qid().lower()}.{r.randrange(999)}", num=r.randrange(10**13),
            n4=r.randrange(10**4), eid=f"1t{self.qid()[:4]}-{self.qid()[:6]}", msgid=f"{self.qid()}@{domain}",
            mx=f"mx{r.randrange(1, 3)}.{domain}", ip=self.ip("192.0.2"), client=self.ip("203.0.113"),
            rcpt=rcpt, domain=domain,
        )

    def transaction(self) -> list[str]:
        r = self.rng
        self.pid += 1
        pid, qid = self.pid, self.qid()
        client = f"mail{r.randrange(50)}.example.net[{self.ip('198.51.100')}]"
        sender, rcpt = self.address(), self.address()
        head = [
            f"{self.stamp()} postfix/smtpd[{pid}]: connect from {client}",
            f"{self.stamp()} postfix/smtpd[{pid}]: Anonymous TLS connection established from {client}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
        ]
        roll = r.random()
        if roll < 0.07:
            reply = self.fill(r.choice(REJECTS), rcpt)
            return head + [
                f"{self.stamp()} postfix/smtpd[{pid}]: NOQUEUE: reject: RCPT from {client}: {reply}; from=<{sender}> to=<{rcpt}> proto=ESMTP helo=<mail.example.net>",
                f"{self.stamp()} postfix/smtpd[{pid}]: disconnect from {client} ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4",
            ]
        size = r.randrange(800, 400000)
        lines = head + [
            f"{self.stamp()} postfix/smtpd[{pid}]: {qid}: client={client}",
            f"{self.stamp()} postfix/cleanup[{pid + 1}]: {qid}: message-id=<{self.qid()}@example.net>",
            f"{self.stamp()} postfix/qmgr[812]: {qid}: from=<{sender}>, size={size}, nrcpt=1 (queue active)",
            f"{self.stamp()} postfix/smtpd[{pid}]: disconnect from {client} ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
        ]
        status, templates, dsn = ("sent", SENT, "2.0.0")
        if roll > 0.95:
            status, templates, dsn = ("bounced", BOUNCED, None)
        elif roll > 0.83:
            status, templates, dsn = ("deferred", DEFERRED, "4.4.1")
        text = self.fill(r.choice(templates), rcpt)
        if dsn is None or status == "deferred":
            found = [w for w in text.split() if w.count(".") == 2 and w[0] in "45" and w.replace(".", "").isdigit()]
            dsn = found[0] if found else "4.4.1"
        mx = f"mx1.{rcpt.split('@')[1]}[{self.ip('192.0.2')}]:25"
        lines.append(
            f"{self.stamp()} postfix/smtp[{pid + 2}]: Trusted TLS connection established to {mx}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"
        )
        lines.append(
            f"{self.stamp()} postfix/smtp[{pid + 2}]: {qid}: to=<{rcpt}>, relay={mx}, delay={r.random() * 3:.1f}, "
            f"delays=0.1/0.01/0.3/{r.random():.2f}, dsn={dsn}, status={status} ({text})"
        )
        if status == "bounced":
            lines.append(f"{self.stamp()} postfix/bounce[{pid + 3}]: {qid}: sender non-delivery notification: {self.qid()}")
        if status != "deferred":
            lines.append(f"{self.stamp()} postfix/qmgr[812]: {qid}: removed")
        if r.random() < 0.02:
            lines.append(f"{self.stamp()} postfix/anvil[700]: statistics: max connection rate 3/60s for (smtp:{self.ip('203.0.113')}) at {self.stamp()[:15]}")
        return lines


def generate(path: Path, count: int, seed: int = 25) -> None:
    """Write exactly `count` lines of Postfix log to `path`."""
    generator = Generator(seed)
    written = 0
    with open(path, "w", encoding="ascii", buffering=1 << 20) as out:
        while written < count:
            lines = generator.transaction()[: count - written]
            out.write("\n".join(lines) + "\n")
            written += len(lines)


def timed(argv: list[str], capture: bool = False) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in KiB) of one child process.

    Output goes to /dev/null unless `capture`: GNU grep notices a /dev/null stdout and stops at
    the first match, so grep's count is read through a pipe instead.
    """
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE)
    if capture:
        process.stdout.read()
        process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace").strip()
    process.stderr.close()
    if returncode not in (0, 1):
        sys.exit(f"{argv[0]} failed ({returncode}): {error[:300]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def best(argv: list[str], runs: int, capture: bool = False) -> tuple[float, float, int]:
    """The fastest of `runs` runs (wall and CPU seconds) and the largest peak RSS (KiB)."""
    results = [timed(argv, capture) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results), max(r[2] for r in results)


def shell(command: str) -> tuple[float, float, int]:
    """`timed` for a shell pipeline (output redirected by the command itself)."""
    return timed(["sh", "-c", command])


def measure(name: str, log: Path, tools: dict, runs: int, workdir: Path) -> None:
    smtpcodes, pflogsumm = tools["smtpcodes"], tools["pflogsumm"]
    out = workdir / "records.json"
    rows = {
        "scan (summary)": best(["sh", "-c", f"{smtpcodes} scan -j1 {log} | cat > /dev/null"], runs),
        "scan --json > file": best(["sh", "-c", f"{smtpcodes} scan --json -j1 {log} > {out}"], runs),
        "scan -j2 (summary)": best(["sh", "-c", f"{smtpcodes} scan -j2 {log} | cat > /dev/null"], runs),
        "scan --json -j2 > file": best(["sh", "-c", f"{smtpcodes} scan --json -j2 {log} > {out}"], runs),
        "grep -cE": best(["grep", "-cE", GREP_PATTERN, str(log)], runs, capture=True),
    }
    if pflogsumm:
        rows["pflogsumm"] = best([pflogsumm, str(log)], runs)
    print(f"\n{name}: {log.stat().st_size / 2**20:.0f} MiB")
    print(f"{'':26} {'wall':>7}   {'CPU':>7}   peak RSS")
    for label, (wall, cpu, kib) in rows.items():
        print(f"{label:26} {wall:6.2f} s  {cpu:6.2f} s   {kib / 1024:6.1f} MiB")
    grep_wall = rows["grep -cE"][0]
    for label in ("scan (summary)", "scan --json > file"):
        wall = rows[label][0]
        line = f"  {label:22} {wall / grep_wall:6.1f}x grep (target <= {TARGET_GREP})"
        if pflogsumm:
            line += f"   {wall / rows['pflogsumm'][0]:5.2f}x pflogsumm (target <= {TARGETS[name]})"
        print(line)
    for one, two in (("scan (summary)", "scan -j2 (summary)"), ("scan --json > file", "scan --json -j2 > file")):
        print(f"  -j2 speed-up, {one:20} {rows[one][0] / rows[two][0]:5.2f}x (target >= {TARGET_SPEEDUP})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines in the timed logs (default 1,000,000)")
    parser.add_argument("--memory-lines", type=int, default=4_000_000, help="lines in the memory-only log (0 skips it)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each command; the fastest counts")
    parser.add_argument("--keep", metavar="DIR", help="write the logs here and keep them")
    parser.add_argument("--genlog", default=str(GENLOG), help="the shared genlog.py (skipped when missing)")
    args = parser.parse_args()

    smtpcodes = shutil.which("smtpcodes", path=os.path.dirname(sys.executable)) or shutil.which("smtpcodes")
    if smtpcodes is None:
        sys.exit("smtpcodes is not installed in this environment (pip install -e .)")
    pflogsumm = shutil.which("pflogsumm") or ("/usr/sbin/pflogsumm" if os.access("/usr/sbin/pflogsumm", os.X_OK) else None)
    if not pflogsumm:
        print("pflogsumm: NOT INSTALLED (apt-get install pflogsumm); its ratios are not measured")
    tools = {"smtpcodes": smtpcodes, "pflogsumm": pflogsumm}
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="smtpcodes-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if Path(args.genlog).exists():
            log = workdir / f"genlog-{args.lines}.log"
            subprocess.run([sys.executable, args.genlog, str(args.lines), str(log)], check=True, stdout=subprocess.DEVNULL)
            measure("genlog", log, tools, args.runs, workdir)
        else:
            print(f"genlog: {args.genlog} not found; that workload is skipped")
        log = workdir / f"distinct-{args.lines}.log"
        generate(log, args.lines)
        measure("distinct", log, tools, args.runs, workdir)
        if args.memory_lines:
            big = workdir / f"distinct-{args.memory_lines}.log"
            generate(big, args.memory_lines, seed=26)
            for jobs in ("1", "2"):
                wall, _, kib = best(["sh", "-c", f"{smtpcodes} scan --json -j{jobs} {big} > /dev/null"], 1)
                target = TARGET_MIB + (int(jobs) - 1) * TARGET_WORKER_MIB
                print(f"scan --json -j{jobs}, {args.memory_lines:,} lines: {wall:.2f} s, peak {kib / 1024:.1f} MiB "
                      f"(target <= {target} MiB)")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
