"""Unmodified static Linux programs on 1P-1M, every byte of their memory remote.

Issue 4. Each test boots a processor and a memory manager whose files are
an archive of the standard tree (Debian's busybox-static, the usr/ test
programs in /usr/tests, test data in /data) and runs one program:

- the usr/ self-checking tests (a working set 8x the ExCache, fork with
  copy-on-write, threads with futexes, signals, the mmap family, brk,
  exec, bad input) under every eviction policy and two associativities,
  with the ExCache counters showing misses and dirty write-backs;
- a busybox shell script with pipes, loops, sort, awk, sed, wc and md5sum,
  whose output must equal the same binary's on this Linux host (in a
  chroot of the same tree);
- bad input: a NULL dereference kills only that process and the shell
  carries on; exec of a corrupt ELF gives ENOEXEC; an exit status and a
  fatal signal reach `scripts/lego run`.
"""

import os
import shutil
import subprocess
import sys

import pytest

from lego_run import (TESTS_DIR, ProgramRun, excache_stats, result_lines, sections,
                      standard_tree)
from lego_vm import REPO, TIMEOUT_SCALE

RUN_TIMEOUT = 900 * TIMEOUT_SCALE

# A 2 MB ExCache (512 lines) and a 16 MB working set: 8x the cache.
SMALL_EXCACHE = "2M"
WORKSET_MB = 16

SELF_TESTS = ["workset", "fork", "threads", "signals", "mmap", "brk", "exec", "badinput"]

POLICIES = ["fifo", "lru", "random"]
WAYS = [4, 8]


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return standard_tree(tmp_path_factory.mktemp("tree") / "root")


def run(argv, tree, logdir, **options):
    """Run ARGV on a fresh 1P-1M cluster; the RunResult."""
    with ProgramRun(argv, tree, logdir=logdir, keep=True, **options) as program:
        result = program.wait(RUN_TIMEOUT)
    assert not result.timed_out, f"{argv[0]} did not end; logs in {logdir}"
    return result


def self_test_script():
    lines = []
    for name in SELF_TESTS:
        args = f" {WORKSET_MB}" if name == "workset" else ""
        lines.append(f"{TESTS_DIR}/{name}{args} || echo \"FAIL {name}: exit $?\"")
    lines.append("echo '@@ excache'")
    lines.append("cat /proc/excache")
    return "\n".join(lines)


@pytest.mark.parametrize("ways", WAYS)
@pytest.mark.parametrize("policy", POLICIES)
def test_self_tests(tree, tmp_path, policy, ways):
    result = run(["/bin/busybox", "sh", "-c", self_test_script()], tree, tmp_path,
                 excache=SMALL_EXCACHE,
                 append=f"excache.policy={policy} excache.ways={ways}")
    parts = sections(result.output)
    results = result_lines(parts[""])
    failed = {name: why for name, (verdict, why) in results.items() if verdict != "PASS"}
    missing = [name for name in SELF_TESTS if name not in results]
    assert not failed and not missing, \
        f"failed: {failed}, no result: {missing}\n" + "\n".join(result.output[-40:])
    assert result.status == 0

    stats = excache_stats(parts["excache"])
    config = parts["excache"][0].split() if parts["excache"] else []
    assert config[2:4] == ["ways", str(ways)] and config[6:8] == ["policy", policy], config
    # the working set is 8x the cache: it misses, evicts and writes back
    assert stats["misses"] > WORKSET_MB * 256, stats
    assert stats["evictions"] > 0, stats
    assert stats["wb_dirty"] > 0, stats
    assert stats["zerofills"] > 0, stats


def host_output(tree, argv):
    """What ARGV prints on this Linux host, chrooted into TREE."""
    if os.geteuid() != 0:
        pytest.skip("the host reference run needs root (chroot)")
    result = subprocess.run(["chroot", str(tree)] + argv, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=120)
    return result.stdout.decode(errors="replace").splitlines(), result.returncode


def test_busybox_script_matches_linux(tree, tmp_path):
    argv = ["/bin/busybox", "sh", "/data/busybox.sh"]
    expected, expected_status = host_output(tree, argv)
    result = run(argv, tree, tmp_path)
    assert result.output == expected
    assert result.status == expected_status == 0


def test_null_dereference_kills_only_the_program(tree, tmp_path):
    script = (f"{TESTS_DIR}/crash null; echo \"status $?\"; "
              f"{TESTS_DIR}/bad_garbage; echo \"garbage $?\"; "
              f"{TESTS_DIR}/bad_truncated; echo \"truncated $?\"; echo alive")
    result = run(["/bin/busybox", "sh", "-c", script], tree, tmp_path)
    assert "status 139" in result.output      # 128 + SIGSEGV, as a Linux shell says
    assert "alive" in result.output
    assert result.status == 0
    assert not any("Kernel" in line for line in result.kernel)


def test_lego_run_reports_status_and_signal(tree, tmp_path):
    lego = [sys.executable, str(REPO / "scripts" / "lego"), "run", "--files", str(tree),
            "--logdir", str(tmp_path / "run1"), "--"]
    done = subprocess.run(lego + ["/bin/busybox", "sh", "-c", "echo out; echo err >&2; exit 7"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=RUN_TIMEOUT)
    assert done.returncode == 7, done.stderr
    assert "out" in done.stdout.splitlines() and "err" in done.stdout.splitlines()

    lego[-2] = str(tmp_path / "run2")
    killed = subprocess.run(lego + [f"{TESTS_DIR}/crash", "null"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, timeout=RUN_TIMEOUT)
    assert killed.returncode == 128 + 11, killed.stderr


def test_interactive_shell_on_the_console(tree, tmp_path):
    """The console is a tty: a shell reads lines with editing, ^C interrupts
    the foreground job and the shell carries on, ^D ends it."""
    with ProgramRun(["/bin/sh"], tree, logdir=tmp_path, keep=True) as program:
        console = program.processor
        console.wait_for(r"running init: /bin/sh", timeout=60, from_start=True)
        console.send("echo one $((6 * 7))\n")
        console.wait_for(r"^one 42\r?$", timeout=60)
        # DEL erases the X before the line is handed to the shell
        console.send("echo abX\x7fc\n")
        console.wait_for(r"^abc\r?$", timeout=60)
        # ^U kills the whole line typed so far
        console.send("echo wrong\x15echo right\n")
        console.wait_for(r"^right\r?$", timeout=60)
        console.send("[ -t 0 ] && [ -t 1 ] && echo both-ttys\n")
        console.wait_for(r"^both-ttys\r?$", timeout=60)
        # a foreground job that has surely started: its shell dies of ^C too
        console.send("sh -c 'echo started; exec sleep 100'\n")
        console.wait_for(r"^started\r?$", timeout=60)
        console.send("\x03")
        # as on Linux: the job dies of SIGINT, the shell prompts again
        console.send("echo status $?\n")
        console.wait_for(r"^status 130\r?$", timeout=60)
        console.send("\x04")
        result = program.wait(RUN_TIMEOUT)
    assert result.status == 0


def test_arguments_and_environment_arrive_intact(tree, tmp_path):
    args = ["it's", 'a"b', "two words", "back\\slash", "tab\there", "*", "$HOME", "new\nline"]
    script = 'printf "<%s>\\n" "$@"; echo "A=$A B=$B"'
    result = run(["/bin/busybox", "sh", "-c", script, "sh"] + args, tree, tmp_path,
                 env=["A=first value", "B=2"])
    # one line per argument; the one holding a newline prints two
    expected = [line for arg in args for line in f"<{arg}>".split("\n")]
    assert result.output == expected + ["A=first value B=2"]


def test_memory_manager_that_stops_answering(tree, tmp_path):
    """The brief: the RPC times out, the process is killed with a clear
    message, the processor's kernel stays up."""
    # a shell that keeps asking for new memory once it has said so
    script = 'echo started; while :; do x="$x 0123456789abcdef"; done'
    with ProgramRun(["/bin/busybox", "sh", "-c", script], tree, logdir=tmp_path, keep=True,
                    excache=SMALL_EXCACHE) as program:
        program.processor.wait_for(r"^started\r?$", timeout=60, from_start=True)
        program.memory.kill()
        result = program.wait(RUN_TIMEOUT)
    assert result.status == 128 + 9, result.kernel
    assert any("unavailable" in line and "killed" in line for line in result.kernel), \
        result.kernel
    assert not any("Kernel" in line for line in result.kernel)
