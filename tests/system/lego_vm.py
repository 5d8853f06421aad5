"""Run LegoOS virtual machines in QEMU and watch their serial consoles.

Used by the system tests (tests/system) and by the cluster launcher
(scripts/lego). Only the standard library is used.

    with LegoVM("build/processor/lego.iso", "build/test-logs/demo.log") as vm:
        vm.wait_for(r"lego: processor manager ready", timeout=10)
        print(vm.wait_for(r"mm: (\\d+) MB total").group(1))

Every VM runs in its own session (so a Ctrl-C on the terminal reaches only
the Python process, which then tears the VMs down) and, where setpriv(1) is
available, with a parent-death signal, so that no QEMU outlives the Python
process that started it even if that process is killed with SIGKILL.
"""

import codecs
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build"
MKISO = REPO / "scripts" / "mkiso.sh"

QEMU = os.environ.get("LEGO_QEMU", "qemu-system-x86_64")

# Exit status of QEMU when the kernel reports a fault through isa-debug-exit
# (the guest writes 1 to port 0xf4; QEMU exits with (1 << 1) | 1).
FAULT_EXIT_STATUS = 3

# Multiply every timeout by this (for slow or busy machines).
TIMEOUT_SCALE = float(os.environ.get("LEGO_TIMEOUT_SCALE", "1"))

# Lines of log shown in error messages.
TAIL_LINES = 40

# Terminal control sequences GRUB writes to the serial port.
_ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78cDEHM])")


class VMError(Exception):
    """A VM did not do what was expected (timeout, early exit, bad status)."""


def clean_text(text):
    """Drop carriage returns and terminal escape sequences."""
    return _ESCAPES.sub("", text).replace("\r", "")


def qemu_command(iso, smp=2, mem=256, extra_args=(), name=None, machine="q35"):
    """The QEMU command line that boots ISO with its serial port on stdio.

    With ISO None, EXTRA_ARGS say what to boot (e.g. -kernel and -initrd).
    """
    cmd = [
        QEMU,
        "-accel", "tcg",
        "-machine", machine,
        "-smp", str(smp),
        "-m", str(mem),
    ]
    if iso is not None:
        cmd += ["-cdrom", str(iso), "-boot", "d"]
    cmd += [
        "-display", "none",
        "-monitor", "none",
        "-serial", "stdio",
        "-no-reboot",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
    ]
    if name:
        cmd += ["-name", name]
    if not any(arg in ("-nic", "-net") for arg in extra_args):
        cmd += ["-nic", "none"]  # no default NIC: tests choose their own
    return cmd + [str(arg) for arg in extra_args]


def nic_args(model, index, netdev="user,restrict=on", mac=None):
    """Arguments for one NIC of MODEL (virtio-net-pci, e1000, ...).

    NETDEV is the backend without its id, e.g. "user,restrict=on" (no
    traffic leaves the VM) or "socket,mcast=230.0.0.1:5000,localaddr=127.0.0.1"
    (a segment shared with the other VMs on this host).
    """
    device = f"{model},netdev=net{index}"
    if mac:
        device += f",mac={mac}"
    backend, _, options = netdev.partition(",")
    netdev_arg = f"{backend},id=net{index}" + (f",{options}" if options else "")
    return ["-device", device, "-netdev", netdev_arg]


def mkiso(vmlinux, iso, cmdline, modules=()):
    """Build a GRUB ISO booting VMLINUX with CMDLINE (scripts/mkiso.sh)."""
    result = subprocess.run(
        [str(MKISO), str(vmlinux), str(iso), cmdline] + [str(m) for m in modules],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise VMError(f"mkiso.sh failed for {iso}:\n{result.stdout}")
    return Path(iso)


def build_kernel(role, jobs=2, log_path=None):
    """Build build/ROLE/vmlinux with make and return its path.

    Runs `make O=build/ROLE ROLE_defconfig` only when build/ROLE/.config is
    missing, then `make O=build/ROLE -jJOBS`. Output goes to LOG_PATH if
    given (and is shown on failure), otherwise to the terminal.
    """
    out = f"build/{role}"
    steps = []
    if not (REPO / out / ".config").exists():
        steps.append(["make", f"O={out}", f"{role}_defconfig"])
    steps.append(["make", f"O={out}", f"-j{jobs}"])

    log = None
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        log = open(log_path, "w")
    try:
        for step in steps:
            if log:
                log.write("$ " + " ".join(step) + "\n")
                log.flush()
            result = subprocess.run(step, cwd=REPO, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT if log else None)
            if result.returncode != 0:
                message = f"'{' '.join(step)}' failed with status {result.returncode}"
                if log:
                    log.flush()
                    tail = Path(log_path).read_text(errors="replace").splitlines()[-TAIL_LINES:]
                    message += f"\nlog: {log_path}\n" + "\n".join(tail)
                raise VMError(message)
    finally:
        if log:
            log.close()
    vmlinux = REPO / out / "vmlinux"
    if not vmlinux.exists():
        raise VMError(f"make succeeded but {vmlinux} does not exist")
    return vmlinux


class LegoVM:
    """One QEMU VM (normally booting an ISO), its serial console captured in a log.

    The serial output is read by a thread and kept as a list of lines
    (carriage returns and escape sequences removed) that wait_for() searches;
    each line goes to LOG_PATH as soon as it is complete. QEMU's own messages (stderr) go to the
    same log, prefixed with "[qemu] ".

    ON_OUTPUT, if given, is called from the reader thread with every chunk
    of raw serial bytes (the launcher uses it to show a console).

    WRAPPER is a command QEMU is run under that ends by exec'ing it, so that
    the process started is QEMU itself (e.g. ["ip", "netns", "exec", NS]).
    """

    def __init__(self, iso, log_path, smp=2, mem=256, extra_args=(), name=None,
                 on_output=None, machine="q35", wrapper=()):
        self.iso = Path(iso) if iso is not None else None
        self.log_path = Path(log_path)
        self.smp = smp
        self.mem = mem
        self.name = name or self.log_path.stem
        self.command = qemu_command(iso, smp, mem, extra_args, name=f"lego-{self.name}",
                                    machine=machine)
        self.on_output = on_output
        self.wrapper = [str(arg) for arg in wrapper]

        self.proc = None
        self.lines = []         # complete serial lines
        self.partial = ""       # serial text after the last newline (cleaned)
        self._raw_partial = ""
        self.cursor = 0         # wait_for() searches lines from here on
        self._log_lines = []    # serial and QEMU lines, for error messages
        self._cond = threading.Condition()
        self._log = None
        self._threads = []
        self._stdout_done = False

    # ----------------------------------------------------------------- life

    def start(self):
        if self.proc:
            return self
        if self.iso is not None and not self.iso.exists():
            raise VMError(f"{self.name}: ISO {self.iso} does not exist")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8", errors="replace")
        self._log.write("# " + " ".join(self.wrapper + self.command) + "\n")
        self._log.flush()

        command = self.wrapper + self.command
        setpriv = shutil.which("setpriv")
        if setpriv:
            command = [setpriv, "--pdeathsig", "KILL", "--"] + command
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True)
        self._threads = [
            threading.Thread(target=self._read_serial, daemon=True,
                             name=f"{self.name}-serial"),
            threading.Thread(target=self._read_stderr, daemon=True,
                             name=f"{self.name}-stderr"),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def kill(self):
        """Stop QEMU (if still running) and close the log. Safe to repeat."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            except ProcessLookupError:
                pass
        self._finish()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
        return False

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # -------------------------------------------------------------- console

    def send(self, text):
        """Type TEXT (str or bytes) on the serial console."""
        data = text.encode() if isinstance(text, str) else text
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def attach(self, on_output):
        """Send every later chunk of raw serial bytes to ON_OUTPUT (None: stop).

        Returns the serial output so far (lines joined with CR LF), so that a
        console can show it first without losing or repeating anything.
        """
        with self._cond:
            self.on_output = on_output
            return "".join(line + "\r\n" for line in self.lines) + self.partial

    def output(self):
        """All serial output so far, as one string."""
        with self._cond:
            return "\n".join(self.lines + ([self.partial] if self.partial else []))

    def tail(self, count=TAIL_LINES):
        with self._cond:
            lines = self._log_lines[-count:]
            if self.partial:
                lines = (lines + [self.partial])[-count:]
        return "\n".join(lines)

    def find_all(self, pattern):
        """Every match of PATTERN in the serial lines so far (any position)."""
        regex = re.compile(pattern)
        with self._cond:
            lines = list(self.lines)
        return [m for m in map(regex.search, lines) if m]

    def wait_for(self, pattern, timeout=30, from_start=False, partial=False):
        """Wait for a serial line matching PATTERN (a regex, searched per line).

        Searches the complete lines after the previous wait_for() match (or
        all lines with FROM_START); with PARTIAL also the unfinished last line
        (for prompts that end without a newline). Returns the re.Match;
        raises VMError with the end of the log on timeout or if QEMU exits
        first.
        """
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout * TIMEOUT_SCALE
        with self._cond:
            start = 0 if from_start else self.cursor
            while True:
                candidates = self.lines[start:]
                if partial:
                    candidates.append(self.partial)
                for offset, line in enumerate(candidates):
                    match = regex.search(line)
                    if match:
                        self.cursor = start + offset + 1
                        return match
                start = len(self.lines)  # complete lines were all searched
                if self._stdout_done:
                    status = self._status_after_eof()
                    raise VMError(self._describe(
                        f"QEMU exited (status {status}) before printing /{pattern}/"))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise VMError(self._describe(
                        f"timed out after {timeout * TIMEOUT_SCALE:g} s waiting for /{pattern}/"))
                self._cond.wait(remaining)

    def wait_exit(self, timeout=30):
        """Wait for QEMU to exit and return its exit status."""
        try:
            status = self.proc.wait(timeout=timeout * TIMEOUT_SCALE)
        except subprocess.TimeoutExpired:
            raise VMError(self._describe(
                f"QEMU still running after {timeout * TIMEOUT_SCALE:g} s")) from None
        self._finish()
        return status

    # ------------------------------------------------------------ internals

    def _describe(self, what):
        state = f"pid {self.pid} running" if self.running() else "not running"
        return (f"{self.name}: {what} ({state})\n"
                f"log: {self.log_path}\n"
                f"--- last {TAIL_LINES} lines ---\n{self.tail()}")

    def _status_after_eof(self):
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "unknown, stdout closed"

    def _finish(self):
        for thread in self._threads:
            thread.join(timeout=5)
        with self._cond:
            if self._log and not self._log.closed:
                if self.proc.returncode is not None:
                    self._log.write(f"\n# QEMU exited with status {self.proc.returncode}\n")
                self._log.close()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except OSError:
                pass

    def _read_serial(self):
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        fd = self.proc.stdout.fileno()
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            text = decoder.decode(data, final=not data)
            with self._cond:
                if data and self.on_output:
                    try:
                        self.on_output(data)
                    except Exception:  # a broken console must not stop the log
                        self.on_output = None
                self._add_serial(text, eof=not data)
                self._cond.notify_all()
            if not data:
                return

    def _add_serial(self, text, eof):
        # Clean whole lines: QEMU may hand over an escape sequence byte by byte.
        *complete, self._raw_partial = (self._raw_partial + text).split("\n")
        if eof and self._raw_partial:
            complete.append(self._raw_partial)
            self._raw_partial = ""
        complete = [clean_text(line) for line in complete]
        self.partial = clean_text(self._raw_partial)
        self.lines.extend(complete)
        self._log_lines.extend(complete)
        if self._log and not self._log.closed:
            self._log.write("".join(line + "\n" for line in complete))
            self._log.flush()
        if eof:
            self._stdout_done = True

    def _read_stderr(self):
        for raw in self.proc.stderr:
            line = "[qemu] " + raw.decode(errors="replace").rstrip()
            with self._cond:
                self._log_lines.append(line)
                if self._log and not self._log.closed:
                    self._log.write(line + "\n")
                    self._log.flush()
                self._cond.notify_all()


def stop_all(vms):
    """Kill every VM in VMS, even if some kill() fails."""
    errors = []
    for vm in vms:
        try:
            vm.kill()
        except Exception as error:  # keep going: leave nothing behind
            errors.append(f"{vm.name}: {error}")
    if errors:
        raise VMError("could not stop: " + "; ".join(errors))
