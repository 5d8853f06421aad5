"""scripts/lego up: boots a processor and a memory manager side by side, waits
until both are ready, and leaves no QEMU behind however it ends."""

import queue
import re
import signal
import subprocess
import threading
import time

import pytest

from lego_vm import REPO, TIMEOUT_SCALE

LEGO = REPO / "scripts" / "lego"
UP_TIMEOUT = 90


class Launcher:
    """scripts/lego running in the background, its output read by a thread."""

    def __init__(self, args):
        self.proc = subprocess.Popen(
            [str(LEGO)] + args, cwd=REPO, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.lines = []
        self._queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern, timeout=UP_TIMEOUT):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout * TIMEOUT_SCALE
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(remaining, 0))
            except queue.Empty:
                line = None
                remaining = 0
            if line is None:
                output = "\n".join(self.lines)
                what = "timed out" if remaining <= 0 else "launcher exited"
                pytest.fail(f"{what} waiting for /{pattern}/:\n{output}", pytrace=False)
            self.lines.append(line)
            match = regex.search(line)
            if match:
                return match

    def nodes(self):
        """NODE -> (role, pid, log) from the summary table."""
        table = {}
        header = None
        for line in self.lines:
            fields = line.split()
            if fields[:1] == ["NODE"]:
                header = fields
            elif header and len(fields) == len(header) and re.fullmatch(r"[pml]\d+", fields[0]):
                row = dict(zip(header, fields))
                table[fields[0]] = (row["ROLE"], int(row["PID"]), row["LOG"])
        return table

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def alive(pid):
    """True if PID is a process that is neither gone nor a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


@pytest.fixture
def launcher(kernels, tmp_path):
    kernels.vmlinux("processor")
    kernels.vmlinux("memory")
    started = []

    def start(*args):
        run = Launcher(["up", "--no-console", "--logdir", str(tmp_path / "run")] + list(args))
        started.append(run)
        return run

    yield start
    for run in started:
        run.stop()
        for role, pid, log in run.nodes().values():
            assert not alive(pid), f"QEMU {pid} left running"


def start_cluster(launcher):
    run = launcher()
    run.wait_for(r"cluster running")
    nodes = run.nodes()
    assert sorted(nodes) == ["m0", "p0"]
    assert nodes["p0"][0] == "processor" and nodes["m0"][0] == "memory"
    for name, (role, pid, log) in nodes.items():
        assert alive(pid)
        text = (REPO / log).read_text()  # LOG is absolute or relative to REPO
        assert f"lego: {role} manager ready" in text
        node_id = 0 if name == "p0" else 1
        assert re.search(rf"Command line: .*\blego\.node={node_id}\b", text)
    return run, nodes


def test_up_then_ctrl_c(launcher):
    run, nodes = start_cluster(launcher)
    run.proc.send_signal(signal.SIGINT)
    assert run.proc.wait(timeout=30) == 0
    for role, pid, log in nodes.values():
        assert not alive(pid)


def test_sigterm_stops_every_vm(launcher):
    run, nodes = start_cluster(launcher)
    run.proc.send_signal(signal.SIGTERM)
    assert run.proc.wait(timeout=30) != 0
    for role, pid, log in nodes.values():
        assert not alive(pid)


def test_dead_node_stops_cluster(launcher):
    run, nodes = start_cluster(launcher)
    subprocess.run(["kill", str(nodes["p0"][1])], check=True)
    match = run.wait_for(r"error: node (\w+) \((\w+)\) stopped", timeout=30)
    assert match.groups() == ("p0", "processor")
    assert run.proc.wait(timeout=30) == 1
    assert not alive(nodes["m0"][1])


def test_not_ready_names_node_and_log(launcher):
    run = launcher("--timeout", "0.01")
    match = run.wait_for(r"error: node (\w+) \(\w+\) did not get ready; its log is (\S+)")
    assert match.group(1) in ("p0", "m0")
    assert match.group(2).endswith(f"{match.group(1)}.log")
    assert run.proc.wait(timeout=30) == 1
