#!/usr/bin/python3
"""make bench-excache: ExCache miss latency against a 4 KB FIT call, and the
slowdown of a memory-bound program whose working set does not fit.

One boot of 1P-1M (tests/system/lego_run.py); one busybox shell script on
the processor, with "@@ NAME" section markers, parsed here:

  rpc K       "rpc=N" written to /proc/excache: N plain FIT calls of 32 B
              asking for 4 KB (FIT_OP_FILL, answered where they arrive;
              net/fit/bench.c's fit_bench_rtt) to the memory manager, whose
              mean and median /proc/excache then shows (rpc4k_ns_avg,
              rpc4k_ns_median)
  misslat K   misslat -n W -r with the ExCache at W/4 lines: every touch of
              its timed pass is a plain miss with a clean victim, and
              miss_ns_avg is the mean fetch time of exactly those misses
              (fetch = the FIT call M_OP_MISS and the copy into the line)
  ...         rpc and misslat alternate (rpc 1, misslat 1, rpc 2, ...), so
              each miss figure has a wire figure just before and after it
  run R P C   membench -n W for each policy P (FIFO, LRU) and cache size C
              (25%, 50%, 100% of the W-page working set), --reps times in
              turn; before each, "size=BYTES policy=P reset" goes to
              /proc/excache (excache_configure writes every line back, drops
              it, lays the cache out anew and zeroes the counters), so one
              boot serves every configuration

"100%" is the smallest cache in which every set has a way to spare beyond
its share of the working set (8 * ceil(W / 7) lines with 8 ways, W/0.875),
so that membench's code and stack and the shell's pages fit as well.
(bench=fit at boot is not used: it runs while the memory manager is still
starting, and its FIT figures came out two to eight times the later ones.)

--fit-counters: after misslat and after each run the script says
"@@ fitstats NAME" and sleeps a second, and this script types ^T on the
processor's console, which prints the FIT counters (drivers/tty/tty_io.c),
so that each run's retransmits are shown next to its time. Off by default:
^T calls fit_print_stats() from the UART interrupt, which takes the FIT
core's lock with a plain spin_lock, and once in some fifty tries the
processor hung there (the interrupted code held the lock, presumably).

The output is a table and a last line
    excache: miss_over_rpc4k=R slowdown25=S25 slowdown50=S50
R = median over K of miss_ns_avg(K) / mean of rpc4k_ns_avg(K), (K+1);
S = time per access at 25% (50%) / time per access at 100%, for LRU, each
the least of the runs (--stat median: their median): what disturbs a run
here, FIT retransmissions after a datagram lost on a busy host and vCPUs
waiting for the host, only ever makes it slower. The runs at 100% make 16
times the rounds (--base-rounds): nothing misses there, and 4 rounds take
about 2 ms, which a single host hiccup would double. Exits non-zero if
the run fails. --from-log re-reads a console log instead of booting.
"""

import argparse
import math
import os
import re
import shutil
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "system"))

from lego_cluster import ClusterError  # noqa: E402
from lego_run import (TESTS_DIR, ConsoleParser, ProgramRun, RunError,  # noqa: E402
                      excache_stats, sections)
from lego_vm import BUILD, VMError  # noqa: E402

LOG_DIR = BUILD / "bench" / "excache"
PAGE = 4096
WAYS = 8
PERCENTS = (25, 50, 100)
POLICIES = ("fifo", "lru")
SLOT_META = 64          # bytes of line table and set lock per slot, rounded up

BOOT_CACHE = re.compile(r"excache: cache (\d+) MB, (\d+) lines")
KEY_VALUE = re.compile(r"(\w+)=(\S+)")
SNAPSHOT = "fitstats"
CTRL_T = b"\x14"
FIT_PEER = re.compile(r"fit: peer 1 epoch \w+:((?: \w+ \d+)+)")
FIT_OVERFLOW = re.compile(r"fit: receive ring overflows (\d+)")
FIT_DELTAS = ("calls", "retrans", "timeouts", "drops", "dups")


def fields(line):
    """{key: value} of a "prog: a=1 b=x" line."""
    return dict(KEY_VALUE.findall(line))


def cache_lines(pages, percent):
    """Lines of the cache for PERCENT of a PAGES-page working set, whole sets."""
    if percent >= 100:
        return WAYS * math.ceil(pages / (WAYS - 1))
    return WAYS * max(2, round(pages * percent / 100 / WAYS))


def boot_size_mb(lines):
    """An excache= size (2 MB steps) whose region holds LINES lines."""
    need = lines * PAGE + lines * SLOT_META + 2 * PAGE
    return 2 * math.ceil(need / (2 << 20))


def shell_script(args, sizes):
    """The processor's script: sh -c text with "@@" sections, on one line."""
    t = TESTS_DIR
    runs = " ".join(f"{p}:{pct}:{sizes[pct] * PAGE}:"
                    f"{args.base_rounds if pct == 100 else args.rounds}"
                    for p in args.policies for pct in PERCENTS)
    ks = " ".join(str(k + 1) for k in range(args.misslat))
    return "; ".join([
        'cfg() { echo "$1" > /proc/excache || echo "@@ error $1"; }',
        (f'snap() {{ echo "@@ {SNAPSHOT} $1"; sleep 1; }}' if args.fit_counters
         else "snap() { :; }"),
        f'rpc() {{ echo "@@ rpc $1"; cfg rpc={args.calls}; grep rpc4k /proc/excache; }}',
        "echo '@@ boot'", "cat /proc/excache", "snap boot",
        f'cfg "size={sizes["misslat"] * PAGE} policy=lru reset"',
        f'for k in {ks}; do rpc $k; echo "@@ misslat $k"; {t}/misslat -n {args.pages} -r; '
        "cat /proc/excache; done",
        f"rpc {args.misslat + 1}", "snap misslat",
        f"for r in {' '.join(str(i + 1) for i in range(args.reps))}; do for x in {runs}; do "
        'p=${x%%:*}; y=${x#*:}; c=${y%%:*}; y=${y#*:}; s=${y%%:*}; n=${y#*:}; '
        'cfg "size=$s policy=$p reset"; '
        'echo "@@ run $r $p $c"; '
        f"{t}/membench -n {args.pages} -r $n -p {args.pattern}; "
        'cat /proc/excache; snap "run $r $p $c"; done; done',
        "echo '@@ end'",
    ])


# ------------------------------------------------------------ analysis

def fit_snapshots(console):
    """{NAME: counters of peer 1} for each "@@ fitstats NAME" in the console
    (the first counters line after the marker), and the last ring-overflow
    count."""
    snaps, current, overflow = {}, None, None
    for line in console:
        if line.startswith(f"@@ {SNAPSHOT} "):
            current = line[len(SNAPSHOT) + 4:].strip()
            continue
        match = FIT_PEER.search(line)
        if match and current is not None and current not in snaps:
            words = match.group(1).split()
            snaps[current] = {k: int(v) for k, v in zip(words[::2], words[1::2])}
        match = FIT_OVERFLOW.search(line)
        if match:
            overflow = int(match.group(1))
    return snaps, overflow


def fit_delta(snaps, before, after):
    """Counter differences between two snapshots, or None if one is missing."""
    if before not in snaps or after not in snaps:
        return None
    return {k: snaps[after].get(k, 0) - snaps[before].get(k, 0) for k in FIT_DELTAS}


def parse_runs(parts, snaps):
    """{(policy, percent): [sample]} from the "run R P C" sections, in order;
    a sample is {ns, per (ns per access), rounds, stats, fit (counter deltas
    or None)}."""
    runs, previous = {}, "misslat"
    for name, lines in parts.items():
        words = name.split()
        if len(words) != 4 or words[0] != "run":
            continue
        bench = next((fields(line) for line in lines if line.startswith("membench: ")), None)
        if not bench or not {"ns", "accesses", "rounds"} <= set(bench):
            raise RunError(f"section {name!r}: no membench line:\n" + "\n".join(lines))
        runs.setdefault((words[2], int(words[3])), []).append(
            {"ns": int(bench["ns"]), "per": int(bench["ns"]) / max(1, int(bench["accesses"])),
             "rounds": int(bench["rounds"]), "stats": excache_stats(lines),
             "fit": fit_delta(snaps, previous, name)})
        previous = name
    return runs


def ratio(a, b):
    return a / b if b else float("nan")


def geometry(lines):
    """{lines, ways, sets, policy, victim} from /proc/excache's first line."""
    for line in lines:
        words = line.split()
        if words[:1] == ["lines"] and len(words) % 2 == 0:
            return dict(zip(words[::2], words[1::2]))
    return {}


def fetches(stats):
    return stats.get("misses", 0) - stats.get("zerofills", 0)


def analyse(console, args):
    """The report's lines from the processor's console lines (raw, in order)."""
    parser = ConsoleParser()
    for line in console:
        parser.feed(line)
    kernel = parser.before + parser.kernel
    text = "\n".join(kernel)
    if not parser.ended:
        raise RunError("the script did not end")
    if "fit: bench FAILED" in text:
        raise RunError("a FIT probe failed:\n"
                       + "\n".join(line for line in kernel if "fit: " in line))
    boot = BOOT_CACHE.search(text)
    if not boot:
        raise RunError("no 'excache: cache' line on the console")
    parts = sections(parser.output)
    errors = [name for name in parts if name.startswith("error")]
    if errors or "end" not in parts:
        hint = ("; this kernel does not take rpc=N in /proc/excache: rebuild it "
                "(make build-roles)" if any(e.startswith("error rpc=") for e in errors) else "")
        raise RunError(f"the script failed ({', '.join(errors) or 'no end'}){hint}; status "
                       f"{parser.status}:\n" + "\n".join(parser.output[-30:]))
    probes, misses = {}, {}
    for name, lines in parts.items():
        words = name.split()
        if len(words) == 2 and words[0] == "rpc" and words[1].isdigit():
            probes[int(words[1])] = excache_stats(lines)
        elif len(words) == 2 and words[0] == "misslat" and words[1].isdigit():
            line = next((ln for ln in lines if ln.startswith("misslat: ")), None)
            if line is None:
                raise RunError(f"section {name!r}: no misslat line:\n" + "\n".join(lines))
            misses[int(words[1])] = (fields(line), excache_stats(lines), geometry(lines))
    if not misses or any(k not in probes or k + 1 not in probes for k in misses):
        raise RunError(f"misslat runs {sorted(misses)} lack rpc probes {sorted(probes)}")
    # the geometry the script asked for, read back from the sections
    sizes = {}
    for name, lines in parts.items():
        words = name.split()
        if len(words) == 4 and words[0] == "run" and "lines" in geometry(lines):
            sizes[int(words[3])] = int(geometry(lines)["lines"])
    snaps, overflow = fit_snapshots(console)
    runs = parse_runs(parts, snaps)
    policies = [p for p in args.policies if any(k[0] == p for k in runs)]
    missing = [(p, c) for p in policies for c in PERCENTS if (p, c) not in runs]
    if missing or not policies:
        raise RunError(f"no membench runs for {missing or args.policies}")
    first = next(parts[n] for n in parts if n.startswith("run "))
    bench = next(fields(ln) for ln in first if ln.startswith("membench: "))
    pages, rounds, pattern = int(bench["pages"]), int(bench["rounds"]), bench["pattern"]
    base_rounds = runs[(policies[0], 100)][0]["rounds"]
    reps = max(len(s) for s in runs.values())
    stat = min if args.stat == "min" else statistics.median

    out = [f"excache bench: 1P-1M, ExCache {boot.group(1)} MB ({boot.group(2)} lines) at "
           f"boot, {WAYS} ways; membench -n {pages} -r {rounds} (at 100%: -r {base_rounds}) "
           f"-p {pattern} (working set "
           f"{pages} pages = {pages * PAGE / (1 << 20):g} MB), {reps} run(s) per row, "
           f"{args.stat} of the runs"]
    ratios = []
    for k in sorted(misses):
        prog, st, geo = misses[k]
        miss_ns = st.get("miss_ns_avg", 0)
        rpc_avg = (probes[k].get("rpc4k_ns_avg", 0) + probes[k + 1].get("rpc4k_ns_avg", 0)) / 2
        rpc_med = (probes[k].get("rpc4k_ns_median", 0)
                   + probes[k + 1].get("rpc4k_ns_median", 0)) / 2
        ratios.append(ratio(miss_ns, rpc_avg))
        out.append(f"misslat {k}: -n {prog.get('pages')} -r at {geo.get('lines', '?')} lines: "
                   f"miss_ns_avg {miss_ns} ns over {fetches(st)} fetches (max "
                   f"{st.get('miss_ns_max', 0)}), ns_per_touch {prog.get('ns_per_touch')}; "
                   f"4 KB FIT call before/after: mean {rpc_avg:.0f} ns, median {rpc_med:.0f} "
                   f"ns ({probes[k].get('rpc4k_calls', '?')} calls each); miss/rpc "
                   f"{ratios[-1]:.2f} (over the median: {ratio(miss_ns, rpc_med):.2f})")
    r = statistics.median(ratios)
    out.append(f"miss_over_rpc4k = {r:.2f} (median of {len(ratios)})")
    d = fit_delta(snaps, "boot", "misslat")
    if d:
        out.append(f"FIT during rpc/misslat: {d['calls']} calls, {d['retrans']} retransmits, "
                   f"{d['timeouts']} timeouts, {d['drops']} drops, {d['dups']} duplicates")
    if overflow is not None:
        out.append(f"FIT receive ring overflows on the processor: {overflow}")
    out.append("")
    counted = bool(snaps)
    head = (f"{'policy':<7} {'cache':>5} {'lines':>6} {'rounds':>6} {'time ms':>9} "
            f"{'ns/access':>10} "
            f"{'fetches':>7} {'wb_dirty':>8} " + (f"{'retrans':>7} " if counted else "")
            + f"{'slowdown':>9}  runs: ms" + ("/retransmits" if counted else ""))
    out.append(head)
    out.append("-" * len(head))
    slow = {}
    for policy in policies:
        base = stat([s["per"] for s in runs[(policy, 100)]])
        for pct in PERCENTS:
            samples = runs[(policy, pct)]
            ns = stat([s["ns"] for s in samples])
            per = stat([s["per"] for s in samples])
            fet = statistics.median(fetches(s["stats"]) for s in samples)
            wbd = statistics.median(s["stats"].get("wb_dirty", 0) for s in samples)
            rts = [s["fit"]["retrans"] for s in samples if s["fit"]]
            slow[(policy, pct)] = ratio(per, base)
            each = " ".join(f"{s['ns'] / 1e6:.1f}" + (
                f"/{s['fit']['retrans'] if s['fit'] else '?'}" if counted else "")
                for s in samples)
            out.append(f"{policy:<7} {pct:>4}% {sizes.get(pct, '?'):>6} "
                       f"{samples[0]['rounds']:>6} {ns / 1e6:>9.1f} "
                       f"{per:>10.0f} {fet:>7.0f} {wbd:>8.0f} "
                       + (f"{(statistics.median(rts) if rts else float('nan')):>7.0f} "
                          if counted else "")
                       + f"{slow[(policy, pct)]:>9.1f}  {each}")
    out.append("fetches, wb_dirty" + (", retrans" if counted else "") + ": medians per run, "
               "the untimed first touch and the program's start included; slowdown = "
               "ns/access / ns/access at 100%, same policy")
    key = "lru" if "lru" in policies else policies[0]
    out.append(f"excache: miss_over_rpc4k={r:.2f} slowdown25={slow[(key, 25)]:.1f} "
               f"slowdown50={slow[(key, 50)]:.1f}"
               + ("" if key == "lru" else f" (policy {key})"))
    return out


# ---------------------------------------------------------------- main

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smaller run: 1024 pages, 1 run per row, 1 misslat, "
                             "100 FIT calls per probe")
    parser.add_argument("--pages", type=int, help="membench/misslat working set in pages "
                        "(default 2048, --quick 1024)")
    parser.add_argument("--rounds", type=int, default=4, help="membench rounds (default 4)")
    parser.add_argument("--base-rounds", type=int, help="membench rounds at 100%%, where "
                        "nothing misses and a round takes well under a millisecond "
                        "(default 16 x --rounds)")
    parser.add_argument("--pattern", choices=("hot", "rand", "seq"), default="hot",
                        help="membench access pattern (default hot)")
    parser.add_argument("--reps", type=int, help="membench runs per policy and size, "
                        "interleaved (default 3, --quick 1)")
    parser.add_argument("--policies", default=",".join(POLICIES),
                        help="comma-separated policies (default fifo,lru)")
    parser.add_argument("--stat", choices=("min", "median"), default="min",
                        help="which run's time a row shows (default min: the least "
                             "disturbed)")
    parser.add_argument("--misslat", type=int, help="misslat runs, each between two "
                        "FIT probes (default 5, --quick 1)")
    parser.add_argument("--calls", type=int, help="FIT calls per probe (rpc=N; default "
                        "200, --quick 100)")
    parser.add_argument("--timeout", type=float, default=1200,
                        help="seconds for the script on the processor (default 1200)")
    parser.add_argument("--logdir", default=str(LOG_DIR),
                        help=f"consoles and archive (default {LOG_DIR}, replaced)")
    parser.add_argument("--from-log", metavar="P0LOG",
                        help="analyse this processor console log (LOGDIR/p0.log) instead "
                             "of booting")
    parser.add_argument("--fit-counters", action="store_true",
                        help="^T after each part for FIT retransmit counts (can hang the "
                             "processor: see the top of this file)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show the processor's output as it comes")
    args = parser.parse_args()
    args.pages = args.pages or (1024 if args.quick else 2048)
    args.reps = args.reps or (1 if args.quick else 3)
    args.calls = args.calls or (100 if args.quick else 200)
    args.misslat = args.misslat or (1 if args.quick else 5)
    args.base_rounds = args.base_rounds or 16 * args.rounds
    args.policies = [p for p in args.policies.split(",") if p]
    if args.pages < 64 or min(args.reps, args.rounds, args.base_rounds, args.misslat) < 1 or not (
            1 <= args.calls <= 10000) or not args.policies or any(
            p not in ("fifo", "lru", "random") for p in args.policies):
        parser.error("want --pages >= 64, --reps, --rounds, --misslat >= 1, --calls 1-10000, "
                     "policies among fifo, lru, random")
    return args


def boot_and_run(args):
    """Boot, run the script, return the processor's console lines."""
    sizes = {pct: cache_lines(args.pages, pct) for pct in PERCENTS}
    sizes["misslat"] = sizes[25]        # misslat touches 4x the cache
    boot_mb = boot_size_mb(max(sizes.values()))
    logdir = Path(args.logdir)
    shutil.rmtree(logdir, ignore_errors=True)
    print(f"bench-excache: excache={boot_mb}M, working set {args.pages} pages, cache "
          + ", ".join(f"{pct}%={sizes[pct]} lines" for pct in PERCENTS)
          + f"; logs in {logdir}", file=sys.stderr, flush=True)
    run = ProgramRun(["/bin/busybox", "sh", "-c", shell_script(args, sizes)], None,
                     excache=f"{boot_mb}M",
                     append=f"excache.ways={WAYS} excache.policy=lru",
                     loglevel=6, logdir=logdir, keep=True,
                     warn=lambda text: print(f"bench-excache: {text}", file=sys.stderr))

    def show(kind, text):
        if kind == "output" and text.startswith("@@ "):
            if text.startswith(f"@@ {SNAPSHOT} "):
                run.processor.send(CTRL_T)
            else:
                print(f"bench-excache: {text[3:]}", file=sys.stderr, flush=True)
        elif args.verbose and kind in ("output", "kernel"):
            print(text, file=sys.stderr, flush=True)

    try:
        run.start()
        result = run.wait(args.timeout, on_event=show)
        if result.status is None:
            raise RunError("the script did not end: " + run.why_not_ended())
        with run.processor._cond:
            return list(run.processor.lines)
    finally:
        run.close()


def main():
    args = parse_args()
    logdir = Path(args.logdir)
    try:
        if args.from_log:
            console = Path(args.from_log).read_text(errors="replace").splitlines()
        else:
            load = os.getloadavg()[0]
            console = boot_and_run(args)
        lines = analyse(console, args)
        if not args.from_log:
            # other VMs on this host make every figure slower and the miss ratio larger
            cpus, end = os.cpu_count() or 1, os.getloadavg()[0]
            lines.insert(1, f"host: {cpus} CPUs, 1-minute load average {load:.1f} before "
                            f"the boot, {end:.1f} at the end (this run's two VMs included)"
                            + (": the host was busy, see Documentation/excache-bench.md"
                               if load > cpus or end > cpus + 2 else ""))
    except (RunError, ClusterError, VMError, OSError) as error:
        print(f"bench-excache: {error}", file=sys.stderr)
        if not args.from_log:
            print(f"bench-excache: logs are in {logdir}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    if not args.from_log:
        (logdir / "result.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
