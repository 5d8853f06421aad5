"""A LegoOS cluster of QEMU VMs on one Ethernet segment.

Used by scripts/lego and by the system tests:

    with Cluster(processors=1, memories=1, linux=1, net="switch",
                 logdir=BUILD / "test-logs" / "demo") as cluster:
        cluster.start()
        cluster.wait_ready()
        cluster.netem("l0", "loss 5% duplicate 2% reorder 25%")
        cluster.node("l0").vm.send("cat /proc/lego_fit/stats\\n")

Node names are p0, p1... (processor managers), m0... (memory managers) and
l0... (Linux VMs running Debian's kernel with our modules). Node ids count
from 0 in that order; node ID has the address 10.0.0.(ID+1)/24 and every
node gets lego.node=ID lego.ip=ADDR/24 lego.peers=0@10.0.0.1,1@10.0.0.2,...
on its command line.

Network modes (NET):
  mcast   a QEMU multicast socket on the loopback interface (no root)
  switch  scripts' user-space switch (lego_switch.py): no root, frames
          written to a pcap file, netem-style loss, duplication, corruption,
          delay and reordering per port, frames injected from tests
  netns   (root) a network namespace with a bridge (10.0.0.254/24) and one
          tap per VM: tcpdump and other tools run in it (run(), popen()),
          and `tc qdisc ... netem` works on the taps when the host kernel
          has sch_netem

stop() (also from __exit__ and at interpreter exit) kills every QEMU and
helper process the cluster started, by PID, and deletes its namespace.
"""

import atexit
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from lego_vm import (BUILD, REPO, LegoVM, VMError, build_kernel, mkiso,
                     nic_args, stop_all)

LINUX_BUILD = REPO / "scripts" / "linux-vm" / "build"
SWITCH = Path(__file__).resolve().parent / "lego_switch.py"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
MCAST_GROUP = "239.255.76.1"    # administratively scoped; only on lo here
SUBNET = ipaddress.ip_network("10.0.0.0/24")
HOST_ADDRESS = "10.0.0.254"     # the bridge's address in netns mode
NETNS_PREFIX = "lego"           # namespaces are lego<PID>-<N>
NET_MODES = ("mcast", "switch", "netns")


class ClusterError(Exception):
    pass


# ------------------------------------------------------------------ roles
#
# A role says how to build and boot one kind of node.

class ManagerRole:
    """A LegoOS manager kernel booted from a GRUB ISO."""

    def __init__(self, role, prefix):
        self.name = role
        self.prefix = prefix                    # node names: p0, m0, ...
        self.ready_pattern = rf"lego: {role} manager ready"
        self.failed_pattern = None
        self.vmlinux = None

    def build(self, always, log_path=None):
        vmlinux = BUILD / self.name / "vmlinux"
        if always or not vmlinux.exists():
            print(f"lego: building the {self.name} kernel (make O=build/{self.name})",
                  file=sys.stderr)
            vmlinux = build_kernel(self.name, log_path=log_path)
        self.vmlinux = vmlinux

    def boot_media(self, node, rundir):
        """Build NODE's ISO in RUNDIR; return (iso, extra QEMU arguments)."""
        iso = mkiso(self.vmlinux, rundir / f"{node.name}.iso", node.cmdline)
        return iso, []


class LinuxRole:
    """Debian's kernel with an initramfs carrying our modules
    (scripts/linux-vm/build image)."""

    name = "linux"
    prefix = "l"
    ready_pattern = r"lego: linux node ready"
    failed_pattern = r"lego: linux node failed: .*"

    def __init__(self, kmods=(), files=(), lego_modules=True):
        self.kmods = list(kmods)        # more kernel modules in the image
        self.files = list(files)        # (host path, image path)
        self.lego_modules = lego_modules    # False: an image without ours
        self.vmlinux = None
        self.initramfs = None

    def build(self, always, log_path=None):
        command = [PYTHON, str(LINUX_BUILD), "image"]
        for kmod in self.kmods:
            command += ["--kmod", kmod]
        for source, dest in self.files:
            command += ["--file", f"{source}:{dest}"]
        if not self.lego_modules:
            command.append("--no-lego-modules")
        result = subprocess.run(command, cwd=REPO, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if log_path:
            Path(log_path).parent.mkdir(parents=True, exist_ok=True)
            Path(log_path).write_text("$ " + " ".join(command) + "\n" + result.stderr
                                      + result.stdout)
        if result.returncode != 0:
            raise ClusterError(f"building the Linux VM image failed:\n{result.stderr}")
        paths = dict(re.findall(r"^(vmlinux|initramfs): (.+)$", result.stdout, re.M))
        self.vmlinux, self.initramfs = Path(paths["vmlinux"]), Path(paths["initramfs"])

    def boot_media(self, node, rundir):
        return None, ["-kernel", self.vmlinux, "-initrd", self.initramfs,
                      "-append", f"console=ttyS0 panic=-1 {node.cmdline}"]


def make_roles(linux_kmods=(), linux_files=(), linux_lego_modules=True):
    return {
        "processor": ManagerRole("processor", "p"),
        "memory": ManagerRole("memory", "m"),
        "linux": LinuxRole(linux_kmods, linux_files, linux_lego_modules),
    }


# ------------------------------------------------------------------ nodes

class Node:
    def __init__(self, name, role, node_id):
        self.name = name
        self.role = role
        self.node_id = node_id
        self.address = str(SUBNET.network_address + node_id + 1)
        self.cmdline = ""
        self.mac = "52:54:00:4c:%02x:%02x" % (node_id >> 8, node_id & 0xff)
        self.tap = None
        self.vm = None

    def __repr__(self):
        return f"<Node {self.name} {self.role.name} id={self.node_id} {self.address}>"


# ---------------------------------------------------------------- networks

class MulticastNetwork:
    """One Ethernet segment shared by every node: a multicast UDP socket on lo."""

    mode = "mcast"

    def __init__(self, port=None, model="virtio-net-pci"):
        self.port = port or free_udp_port()
        self.model = model

    def setup(self, nodes, rundir):
        pass

    def wrapper(self, node):
        return []

    def qemu_args(self, node):
        netdev = f"socket,mcast={MCAST_GROUP}:{self.port},localaddr=127.0.0.1"
        return nic_args(self.model, 0, netdev=netdev, mac=node.mac)

    def describe(self):
        return f"{self.model} NICs on QEMU socket mcast {MCAST_GROUP}:{self.port} (lo only)"

    def netem(self, node, spec):
        raise ClusterError("netem needs --net switch or --net netns")

    def teardown(self):
        pass


class SwitchNetwork:
    """The user-space switch (lego_switch.py), one UDP port pair per VM."""

    mode = "switch"

    def __init__(self, model="virtio-net-pci", pcap=True):
        self.model = model
        self.want_pcap = pcap
        self.pcap = None
        self.proc = None
        self.ports = {}
        self._lock = threading.Lock()

    def setup(self, nodes, rundir):
        command = [PYTHON, str(SWITCH)]
        for node in nodes:
            command += ["--port", node.name]
        if self.want_pcap:
            rundir.mkdir(parents=True, exist_ok=True)
            self.pcap = rundir / "switch.pcap"
            command += ["--pcap", str(self.pcap)]
        setpriv = shutil.which("setpriv")
        if setpriv:
            command = [setpriv, "--pdeathsig", "KILL", "--"] + command
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, start_new_session=True)
        line = self.proc.stdout.readline()
        if not line:
            raise ClusterError("the switch (lego_switch.py) did not start")
        self.ports = json.loads(line)["ports"]

    def wrapper(self, node):
        return []

    def qemu_args(self, node):
        switch_port, vm_port = self.ports[node.name]
        netdev = f"socket,udp=127.0.0.1:{switch_port},localaddr=127.0.0.1:{vm_port}"
        return nic_args(self.model, 0, netdev=netdev, mac=node.mac)

    def describe(self):
        where = f"; frames in {display_path(self.pcap)}" if self.pcap else ""
        return f"{self.model} NICs on a user-space switch (pid {self.proc.pid}){where}"

    def command(self, request):
        with self._lock:
            if self.proc is None or self.proc.poll() is not None:
                raise ClusterError("the switch is not running")
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            answer = json.loads(self.proc.stdout.readline())
        if not answer.get("ok"):
            raise ClusterError(f"switch: {answer.get('error')}")
        return answer

    def netem(self, node, spec):
        self.command({"cmd": "netem", "port": node.name, "spec": spec})

    def stats(self):
        return self.command({"cmd": "stats"})["ports"]

    def inject(self, node, frame):
        self.command({"cmd": "inject", "port": node.name, "frame": bytes(frame).hex()})

    def teardown(self):
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        try:
            proc.stdin.close()          # the switch exits on EOF
        except OSError:
            pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


class NetnsNetwork:
    """A network namespace with a bridge and one tap per VM (root only)."""

    mode = "netns"
    _count = 0

    def __init__(self, model="virtio-net-pci"):
        if os.geteuid() != 0:
            raise ClusterError("--net netns needs root (ip netns, tap devices)")
        if not os.path.exists("/dev/net/tun"):
            raise ClusterError("--net netns needs /dev/net/tun")
        for tool in ("ip", "tc"):
            if not shutil.which(tool):
                raise ClusterError(f"--net netns needs {tool} (package iproute2)")
        self.model = model
        NetnsNetwork._count += 1
        self.name = f"{NETNS_PREFIX}{os.getpid()}-{NetnsNetwork._count}"
        self.created = False

    def ip(self, *args, check=True):
        result = subprocess.run(["ip", "-n", self.name] + [str(a) for a in args],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        if check and result.returncode != 0:
            raise ClusterError(f"ip -n {self.name} {' '.join(map(str, args))}: "
                               f"{result.stdout.strip()}")
        return result.stdout

    def setup(self, nodes, rundir):
        remove_stale_namespaces()
        run_checked(["ip", "netns", "add", self.name])
        self.created = True
        for key in ("all", "default"):      # no IPv6 chatter in captures
            subprocess.run(["ip", "netns", "exec", self.name, "sysctl", "-q", "-w",
                            f"net.ipv6.conf.{key}.disable_ipv6=1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ip("link", "set", "lo", "up")
        self.ip("link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0")
        self.ip("addr", "add", f"{HOST_ADDRESS}/{SUBNET.prefixlen}", "dev", "br0")
        self.ip("link", "set", "br0", "up")
        for node in nodes:
            node.tap = f"tap-{node.name}"
            self.ip("tuntap", "add", "dev", node.tap, "mode", "tap")
            self.ip("link", "set", node.tap, "master", "br0")
            self.ip("link", "set", node.tap, "up")

    def wrapper(self, node):
        return ["ip", "netns", "exec", self.name]

    def qemu_args(self, node):
        netdev = f"tap,ifname={node.tap},script=no,downscript=no"
        return nic_args(self.model, 0, netdev=netdev, mac=node.mac)

    def describe(self):
        return (f"{self.model} NICs on taps tap-NODE, bridge br0 ({HOST_ADDRESS}) "
                f"in network namespace {self.name}")

    def netem(self, node, spec):
        if spec:
            command = ["tc", "qdisc", "replace", "dev", node.tap, "root", "netem"] + spec.split()
        else:
            command = ["tc", "qdisc", "del", "dev", node.tap, "root"]
        result = subprocess.run(["ip", "netns", "exec", self.name] + command,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0 and spec:
            hint = ""
            if "unknown" in result.stdout.lower():
                hint = " (this kernel has no sch_netem: use --net switch)"
            raise ClusterError(f"{' '.join(command)}: {result.stdout.strip()}{hint}")

    def teardown(self):
        if self.created:
            self.created = False
            subprocess.run(["ip", "netns", "del", self.name], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def netem_available():
    """True if the kernel here has tc netem (sch_netem)."""
    if os.geteuid() != 0 or not shutil.which("tc"):
        return False
    name = f"{NETNS_PREFIX}{os.getpid()}-probe"
    try:
        run_checked(["ip", "netns", "add", name])
    except ClusterError:
        return False
    try:
        run = ["ip", "netns", "exec", name]
        subprocess.run(run + ["ip", "link", "set", "lo", "up"], check=False)
        result = subprocess.run(run + ["tc", "qdisc", "add", "dev", "lo", "root", "netem",
                                       "loss", "1%"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return result.returncode == 0
    finally:
        subprocess.run(["ip", "netns", "del", name])


def remove_stale_namespaces():
    """Delete lego<PID>-<N> namespaces whose creator PID is gone (a launcher
    or test run that was killed with SIGKILL)."""
    try:
        names = os.listdir("/run/netns")
    except OSError:
        return
    for name in names:
        match = re.fullmatch(rf"{NETNS_PREFIX}(\d+)-\w+", name)
        if match and not pid_alive(int(match.group(1))):
            subprocess.run(["ip", "netns", "del", name], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)


def make_network(mode, model="virtio-net-pci", port=None):
    if mode == "mcast":
        return MulticastNetwork(port, model)
    if mode == "switch":
        return SwitchNetwork(model)
    if mode == "netns":
        return NetnsNetwork(model)
    raise ClusterError(f"unknown network mode {mode!r} (one of {', '.join(NET_MODES)})")


# ---------------------------------------------------------------- cluster

class Cluster:
    """Nodes of the given roles on one segment; see the module docstring."""

    def __init__(self, processors=1, memories=1, linux=0, net="mcast",
                 nic="virtio-net-pci", smp=2, mem=256, linux_mem=256, logdir=None,
                 append="", linux_append="", build=False, net_port=None,
                 linux_kmods=(), linux_files=(), linux_lego_modules=True):
        if min(processors, memories, linux) < 0 or processors + memories + linux == 0:
            raise ClusterError("nothing to start (processors, memories, linux)")
        if processors + memories + linux > 250:
            raise ClusterError("at most 250 nodes on one /24 segment")
        self.rundir = Path(logdir or BUILD / "run").resolve()
        self.smp, self.mem, self.linux_mem = smp, mem, linux_mem
        self.append, self.linux_append = append, linux_append
        self.always_build = build
        self.roles = make_roles(linux_kmods, linux_files, linux_lego_modules)
        self.network = make_network(net, nic, net_port)
        self.helpers = []           # helper processes (tcpdump ...) to stop
        self.nodes = []
        self._stopped = False
        self._shell_count = 0
        node_id = 0
        for role, count in (("processor", processors), ("memory", memories),
                            ("linux", linux)):
            for index in range(count):
                self.nodes.append(Node(f"{self.roles[role].prefix}{index}",
                                       self.roles[role], node_id))
                node_id += 1
        for node in self.nodes:
            node.cmdline = self.command_line(node)
        atexit.register(self.stop)

    # -------------------------------------------------------------- setup

    def peers(self):
        return ",".join(f"{n.node_id}@{n.address}" for n in self.nodes)

    def command_line(self, node):
        words = [f"lego.node={node.node_id}",
                 f"lego.ip={node.address}/{SUBNET.prefixlen}",
                 f"lego.peers={self.peers()}"]
        if self.append:
            words.append(self.append)
        if node.role.name == "linux" and self.linux_append:
            words.append(self.linux_append)
        return " ".join(words)

    def node(self, name):
        for node in self.nodes:
            if node.name == name:
                return node
        raise ClusterError(f"no node {name!r}")

    def _node(self, node):
        return node if isinstance(node, Node) else self.node(node)

    def vms(self):
        return [node.vm for node in self.nodes if node.vm]

    def build(self):
        for role in {node.role.name: node.role for node in self.nodes}.values():
            role.build(self.always_build, log_path=self.rundir / f"build-{role.name}.log")

    def start(self):
        """Build what is missing, set the network up and start every VM."""
        self.rundir.mkdir(parents=True, exist_ok=True)
        try:
            self.build()
            self.network.setup(self.nodes, self.rundir)
            for node in self.nodes:
                iso, extra = node.role.boot_media(node, self.rundir)
                mem = self.linux_mem if node.role.name == "linux" else self.mem
                node.vm = LegoVM(iso, self.rundir / f"{node.name}.log",
                                 smp=self.smp, mem=mem,
                                 extra_args=extra + self.network.qemu_args(node),
                                 name=node.name, wrapper=self.network.wrapper(node))
                node.vm.start()
        except (VMError, OSError) as error:
            raise ClusterError(str(error)) from None
        return self

    def wait_ready(self, timeout=120):
        """Wait until every node printed its ready line."""
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            remaining = max(deadline - time.monotonic(), 0.1)
            pattern = node.role.ready_pattern
            if node.role.failed_pattern:
                pattern = f"(?:{pattern})|(?:{node.role.failed_pattern})"
            try:
                match = node.vm.wait_for(pattern, timeout=remaining, from_start=True)
            except VMError as error:
                raise ClusterError(
                    f"node {node.name} ({node.role.name}) did not get ready; "
                    f"its log is {node.vm.log_path}\n{error}") from None
            if node.role.failed_pattern and re.search(node.role.failed_pattern, match.group(0)):
                raise ClusterError(
                    f"node {node.name} ({node.role.name}): {match.group(0).strip()}; "
                    f"its log is {node.vm.log_path}\n{node.vm.tail()}")
        return self

    def check_running(self):
        for node in self.nodes:
            if not node.vm.running():
                status = node.vm.wait_exit(timeout=5)
                raise ClusterError(
                    f"node {node.name} ({node.role.name}) stopped with status {status}; "
                    f"its log is {node.vm.log_path}\n{node.vm.tail()}")

    def summary(self):
        rows = [("NODE", "ROLE", "ID", "ADDRESS", "PID", "MAC", "LOG")]
        for node in self.nodes:
            pid = str(node.vm.pid) if node.vm else "-"
            log = display_path(node.vm.log_path) if node.vm else "-"
            rows.append((node.name, node.role.name, str(node.node_id), node.address,
                         pid, node.mac, log))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                 for row in rows]
        lines.append(f"network: {self.network.describe()}")
        lines.append(f"peers: {self.peers()}")
        return "\n".join(lines)

    def logs(self):
        return [node.vm.log_path for node in self.nodes if node.vm]

    def shell(self, node, command, timeout=60, check=True):
        """Run COMMAND in a Linux node's console shell; (status, output).

        The output is the console lines between the command and its end
        (kernel messages printed meanwhile included). With CHECK a
        non-zero status raises ClusterError.
        """
        node = self._node(node)
        if node.role.name != "linux":
            raise ClusterError(f"{node.name} is not a Linux node")
        self._shell_count += 1
        tag = f"{self._shell_count}x{os.getpid()}"
        vm = node.vm
        with vm._cond:
            start = len(vm.lines)
            vm.cursor = start
        vm.send(f"{command}; printf 'END_%s %s\\n' {tag} $?\n")
        try:
            match = vm.wait_for(rf"END_{tag} (\d+)", timeout=timeout)
        except VMError as error:
            raise ClusterError(f"{node.name}: {command!r} did not finish:\n{error}") from None
        with vm._cond:
            lines = vm.lines[start:vm.cursor - 1]
        lines = [line for line in lines if "END_%s %s" not in line]
        status = int(match.group(1))
        output = "\n".join(lines)
        if check and status != 0:
            raise ClusterError(f"{node.name}: {command!r} exited with {status}:\n{output}")
        return status, output

    # ------------------------------------------------------------ network

    @property
    def netns(self):
        """The namespace's name (netns mode) or None."""
        return self.network.name if self.network.mode == "netns" else None

    def netem(self, node, spec):
        """Impair the frames delivered to NODE (a name or Node) with a
        tc-netem(8) spec, e.g. "loss 5% duplicate 2% reorder 25% delay 1ms";
        "" removes it. Netns mode runs tc on the node's tap; switch mode
        does it in the switch."""
        self.network.netem(self._node(node), spec)

    def netem_all(self, spec):
        for node in self.nodes:
            self.netem(node, spec)

    def _in_netns(self, command):
        if self.network.mode != "netns":
            raise ClusterError("commands in the namespace need --net netns")
        return ["ip", "netns", "exec", self.network.name] + [str(c) for c in command]

    def run(self, command, timeout=60, check=False):
        """Run COMMAND in the cluster's namespace; a CompletedProcess (text)."""
        return subprocess.run(self._in_netns(command), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout, check=check)

    def popen(self, command, **options):
        """Start COMMAND in the namespace; it is stopped by stop()."""
        options.setdefault("stdin", subprocess.DEVNULL)
        options.setdefault("start_new_session", True)
        proc = subprocess.Popen(self._in_netns(command), **options)
        self.helpers.append(proc)
        return proc

    def tcpdump(self, pcap, interface="br0", expression=()):
        """Capture frames on INTERFACE of the namespace into PCAP (until
        stop_helper() or stop()); returns the Popen once tcpdump listens."""
        if not shutil.which("tcpdump"):
            raise ClusterError("tcpdump is not installed (package tcpdump)")
        proc = self.popen(["tcpdump", "-i", interface, "-U", "-n", "-w", str(pcap)]
                          + list(expression), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
        line = proc.stderr.readline()       # "tcpdump: listening on ..."
        if "listening" not in line:
            self.stop_helper(proc)
            raise ClusterError(f"tcpdump did not start: {line.strip()}")
        return proc

    def stop_helper(self, proc, timeout=5):
        """Stop a helper started by popen() or tcpdump() (by its PID)."""
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            except ProcessLookupError:
                pass
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
        if proc in self.helpers:
            self.helpers.remove(proc)
        return proc.returncode

    def switch_stats(self):
        """Per-port counters of the switch (switch mode)."""
        if self.network.mode != "switch":
            raise ClusterError("switch_stats needs --net switch")
        return self.network.stats()

    def inject(self, node, frame):
        """Send one raw Ethernet frame (bytes) to NODE (switch mode)."""
        if self.network.mode != "switch":
            raise ClusterError("inject needs --net switch")
        self.network.inject(self._node(node), frame)

    # --------------------------------------------------------------- stop

    def stop(self):
        """Stop every VM and helper and remove the network. Safe to repeat."""
        if self._stopped:
            return
        self._stopped = True
        errors = []
        for proc in list(self.helpers):
            try:
                self.stop_helper(proc)
            except Exception as error:      # keep going: leave nothing behind
                errors.append(str(error))
        try:
            stop_all(self.vms())
        except VMError as error:
            errors.append(str(error))
        try:
            self.network.teardown()
        except Exception as error:
            errors.append(str(error))
        atexit.unregister(self.stop)
        if errors:
            raise ClusterError("stopping the cluster: " + "; ".join(errors))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


# ---------------------------------------------------------------- helpers

def free_udp_port():
    """A UDP port no one on this host is using right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid):
    """True if PID is a process that is neither gone nor a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def run_checked(command):
    result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise ClusterError(f"{' '.join(command)}: {result.stdout.strip()}")
    return result.stdout


def display_path(path):
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)
