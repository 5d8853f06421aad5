"""Boot both roles through their GRUB ISOs under TCG and check the serial log.

Issue 2: role banner, command line, every CPU online, memory size matching
-m, PCI devices (with a virtio-net and an e1000 NIC), the timer advancing,
threads on both CPUs, and a deliberate kernel fault ending QEMU with the
fault exit status and a readable dump.

Patterns are not anchored at the start of a line: printk may put a time
stamp in front.
"""

import re
import subprocess

import pytest

from conftest import start_vm
from lego_vm import FAULT_EXIT_STATUS, REPO, VMError, mkiso, nic_args

ROLES = ["processor", "memory"]

# Seconds from QEMU's start to "lego: ROLE manager ready" (issue 2: 10 s).
READY_TIMEOUT = 10
# Seconds for anything printed after that.
LINE_TIMEOUT = 30

SMP = 2
MEMORY_MB = {"processor": 256, "memory": 512}
# Firmware, the legacy hole below 1 MB and ACPI tables take a little of -m.
MEMORY_SLACK_MB = 8

NICS = nic_args("virtio-net-pci", 0) + nic_args("e1000", 1)


def command_line(role):
    return f"lego.node=0 selftest=sched,timer test.role={role}"


@pytest.fixture(scope="module", params=ROLES)
def booted(request, kernels, tmp_path_factory):
    """One VM per role, booted with the self-tests, shared by this module's tests."""
    role = request.param
    iso = tmp_path_factory.mktemp(role) / "lego.iso"
    try:
        mkiso(kernels.vmlinux(role), iso, command_line(role))
    except VMError as error:
        pytest.fail(str(error), pytrace=False)
    vm = start_vm(request, iso, f"boot-{role}", smp=SMP, mem=MEMORY_MB[role],
                  extra_args=NICS)
    vm.role = role
    vm.wait_for(rf"lego: {role} manager ready", timeout=READY_TIMEOUT)
    return vm


def test_banner(booted):
    assert booted.find_all(rf"lego: {booted.role} manager ready\b")
    other = "memory" if booted.role == "processor" else "processor"
    assert not booted.find_all(rf"lego: {other} manager")


def test_command_line(booted):
    match = booted.wait_for(r"Command line: (.*)$", timeout=LINE_TIMEOUT, from_start=True)
    assert match.group(1).strip() == command_line(booted.role)


def test_all_cpus_online(booted):
    match = booted.wait_for(r"smp: (\d+) CPUs online", timeout=LINE_TIMEOUT, from_start=True)
    assert int(match.group(1)) == SMP


def test_memory_size(booted):
    match = booted.wait_for(r"mm: (\d+) MB total", timeout=LINE_TIMEOUT, from_start=True)
    total = int(match.group(1))
    expected = MEMORY_MB[booted.role]
    assert expected - MEMORY_SLACK_MB <= total <= expected, \
        f"mm reports {total} MB with -m {expected}"


def test_pci_devices(booted):
    booted.wait_for(r"selftest: done", timeout=LINE_TIMEOUT, from_start=True)
    devices = {}
    for match in booted.find_all(
            r"(?<![\w-])pci (0000:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ([0-9a-f]{4}):([0-9a-f]{4})\b"):
        address, vendor, device = match.groups()
        assert address not in devices, f"{address} listed twice"
        devices[address] = (vendor, device)
    ids = set(devices.values())
    assert ("8086", "29c0") in ids, "q35 host bridge missing"
    assert ("8086", "2918") in ids, "ICH9 LPC bridge missing"
    assert ids & {("1af4", "1000"), ("1af4", "1041")}, "virtio-net missing"
    assert ("8086", "100e") in ids, "e1000 missing"


def test_timer_advances(booted):
    match = booted.wait_for(r"selftest: timer ok: (\d+) ns elapsed over (\d+) ticks",
                            timeout=LINE_TIMEOUT, from_start=True)
    nanoseconds, ticks = int(match.group(1)), int(match.group(2))
    assert nanoseconds >= 200_000_000, "msleep(200) returned early"
    assert ticks > 0
    per_cpu = {int(m.group(1)): int(m.group(2))
               for m in booted.find_all(r"selftest: timer cpu (\d+) took (\d+) ticks")}
    assert set(per_cpu) == set(range(SMP)), f"tick counts for CPUs {sorted(per_cpu)}"
    assert all(per_cpu.values()), f"a CPU took no timer interrupt: {per_cpu}"


def test_threads_on_every_cpu(booted):
    booted.wait_for(r"selftest: done", timeout=LINE_TIMEOUT, from_start=True)
    cpus = {int(m.group(2)) for m in booted.find_all(r"selftest: thread (\d+) ran on cpu (\d+)")}
    assert cpus == set(range(SMP)), f"threads ran on CPUs {sorted(cpus)}"


def test_selftests_pass(booted):
    booted.wait_for(r"selftest: done", timeout=LINE_TIMEOUT, from_start=True)
    failed = [m.string for m in booted.find_all(r"selftest: .*FAILED")]
    assert not failed, "\n".join(failed)
    assert booted.find_all(r"selftest: sched ok")


def test_unknown_option_reported(booted):
    booted.wait_for(r"lego: \w+ manager ready", timeout=LINE_TIMEOUT, from_start=True)
    booted.wait_for(rf"cmdline: unknown option 'test.role={booted.role}' ignored",
                    timeout=LINE_TIMEOUT, from_start=True)
    assert not booted.find_all(r"cmdline: unknown option 'selftest")


def test_more_cpus(make_iso, boot):
    """-smp 4 (more vCPUs than host cores) brings all four up."""
    vm = boot(make_iso("processor", "lego.node=0"), smp=4)
    vm.wait_for(r"lego: processor manager ready", timeout=READY_TIMEOUT * 2)
    match = vm.wait_for(r"smp: (\d+) CPUs online", timeout=LINE_TIMEOUT, from_start=True)
    assert int(match.group(1)) == 4


@pytest.mark.parametrize("role", ROLES)
def test_kernel_fault(role, make_iso, boot):
    vm = boot(make_iso(role, "selftest=fault"))
    status = vm.wait_exit(timeout=LINE_TIMEOUT)
    assert status == FAULT_EXIT_STATUS, \
        f"QEMU exited with {status}, not {FAULT_EXIT_STATUS}; log: {vm.log_path}"
    lines = vm.output().splitlines()
    assert any("RIP:" in line for line in lines), "no RIP: in the fault dump"
    trace = [i for i, line in enumerate(lines) if "Call Trace:" in line]
    assert trace, "no Call Trace: in the fault dump"
    # Symbolized frames: function+0xOFFSET (Documentation/debugging.md).
    frames = [line for line in lines[trace[0] + 1:]
              if re.search(r"\b[A-Za-z_]\w*\+0x[0-9a-f]+", line)]
    assert frames, "no symbolized frame after Call Trace:"


@pytest.mark.parametrize("role", ROLES)
def test_make_iso_boots(role, kernels, boot):
    """`make iso` gives an ISO that reaches the ready line within 10 s."""
    kernels.vmlinux(role)
    result = subprocess.run(["make", f"O=build/{role}", "iso"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 0, result.stdout[-4000:]
    vm = boot(REPO / "build" / role / "lego.iso")
    vm.wait_for(rf"lego: {role} manager ready", timeout=READY_TIMEOUT)
    vm.wait_for(r"smp: \d+ CPUs online", timeout=LINE_TIMEOUT, from_start=True)
    vm.wait_for(r"mm: \d+ MB total", timeout=LINE_TIMEOUT, from_start=True)
