"""Fixtures for the LegoOS system tests.

kernels    (session) builds build/ROLE/vmlinux once per session, on demand
make_iso   builds an ISO for ROLE with a given command line into tmp_path
boot       starts a LegoVM, logged to build/test-logs/<test>.log, and
           kills it when the test ends
start_vm   the same for fixtures of any scope
"""

import os
import re

import pytest

from lego_vm import BUILD, LegoVM, VMError, build_kernel, mkiso, stop_all

LOG_DIR = BUILD / "test-logs"


class Kernels:
    """Builds each role at most once per session (unless LEGO_TEST_NO_BUILD)."""

    def __init__(self):
        self._results = {}

    def vmlinux(self, role):
        if role not in self._results:
            self._results[role] = self._build(role)
        result = self._results[role]
        if isinstance(result, Exception):
            pytest.fail(f"building the {role} kernel failed:\n{result}", pytrace=False)
        return result

    def _build(self, role):
        if os.environ.get("LEGO_TEST_NO_BUILD"):
            vmlinux = BUILD / role / "vmlinux"
            if not vmlinux.exists():
                return VMError(f"LEGO_TEST_NO_BUILD is set but {vmlinux} is missing")
            return vmlinux
        try:
            return build_kernel(role, log_path=LOG_DIR / f"build-{role}.log")
        except VMError as error:
            return error


@pytest.fixture(scope="session")
def kernels():
    return Kernels()


@pytest.fixture
def make_iso(kernels, tmp_path):
    """make_iso(role, cmdline, modules=()) -> path of a fresh GRUB ISO."""
    count = 0

    def make(role, cmdline, modules=()):
        nonlocal count
        count += 1
        iso = tmp_path / f"{role}-{count}.iso"
        try:
            return mkiso(kernels.vmlinux(role), iso, cmdline, modules)
        except VMError as error:
            pytest.fail(str(error), pytrace=False)

    return make


def log_name(text):
    return re.sub(r"[^\w.-]+", "-", text).strip("-")


def start_vm(request, iso, name, **options):
    """Start a LegoVM logged to build/test-logs/NAME.log, killed at teardown.

    OPTIONS are LegoVM's: smp, mem, extra_args.
    """
    vm = LegoVM(iso, LOG_DIR / f"{log_name(name)}.log", name=log_name(name), **options)
    request.addfinalizer(vm.kill)
    request.node.lego_logs = getattr(request.node, "lego_logs", []) + [vm.log_path]
    try:
        return vm.start()
    except VMError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture
def boot(request):
    """boot(iso, smp=2, mem=256, extra_args=(), name=None) -> running LegoVM."""
    vms = []

    def start(iso, name=None, **options):
        if name is None:
            name = request.node.name + (f"-{len(vms)}" if vms else "")
        vm = start_vm(request, iso, name, **options)
        vms.append(vm)
        return vm

    yield start
    stop_all(vms)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Name the VM logs of a failed test in its report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        logs = list(getattr(item, "lego_logs", []))
        # VMs started by module- or session-scoped fixtures
        for fixture_name in getattr(item, "fixturenames", []):
            value = item.funcargs.get(fixture_name) if hasattr(item, "funcargs") else None
            if isinstance(value, LegoVM) and value.log_path not in logs:
                logs.append(value.log_path)
        if logs:
            report.sections.append(("VM logs", "\n".join(str(p) for p in logs)))
