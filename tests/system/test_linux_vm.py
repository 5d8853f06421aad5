"""The Linux VM (Debian's kernel, busybox, lego_fit.ko) and the cluster's
network modes.

- The VM boots from build/linux/ (scripts/linux-vm/build image), loads
  lego_fit.ko with its node id and peers from the kernel command line and
  prints its ready line; /proc/lego_fit/ answers.
- Two Linux VMs run FIT echo calls at each other through lego_fit.ko
  (payloads from 0 bytes to 2 MB, compared byte for byte in the module).
- --net switch: frames reach the pcap file, netem-style loss and
  duplication are applied, and FIT calls still all complete.
- --net netns (root): the VMs ping each other and the bridge, tcpdump in
  the namespace sees the frames, and nothing (QEMU, tap, namespace) is
  left behind. These use an image without our modules: they test the
  plumbing only.
"""

import os
import re
import shutil
import subprocess

import pytest

from conftest import LOG_DIR, log_name
from lego_cluster import Cluster, ClusterError, pid_alive

READY_TIMEOUT = 120
ECHO_TIMEOUT = 300


def result_fields(text):
    """key=value pairs of a /proc/lego_fit/test result line."""
    return {k: v for k, v in re.findall(r"(\w+)=(-?\w+)", text)}


def fit_test(cluster, node, command, timeout=ECHO_TIMEOUT):
    """Run a /proc/lego_fit/test command on NODE; its result fields."""
    _, output = cluster.shell(
        node, f"echo '{command}' > /proc/lego_fit/test; cat /proc/lego_fit/test",
        timeout=timeout, check=False)
    lines = [line for line in output.splitlines()
             if re.match(r"\s*(echo|fill|count|gstats) node=", line) or line.startswith("error")]
    assert lines, f"no result for {command!r}:\n{output}"
    return result_fields(lines[-1])


def start_cluster(request, name, **options):
    """A started, ready cluster logged under build/test-logs/NAME/,
    stopped when the test ends (pass or fail)."""
    logdir = LOG_DIR / log_name(name)
    shutil.rmtree(logdir, ignore_errors=True)
    cluster = Cluster(logdir=logdir, **options)
    request.addfinalizer(cluster.stop)
    try:
        cluster.start()
        request.node.lego_logs = getattr(request.node, "lego_logs", []) + cluster.logs()
        cluster.wait_ready(READY_TIMEOUT)
    except ClusterError as error:
        pytest.fail(str(error), pytrace=False)
    return cluster


def assert_gone(cluster):
    """Nothing of CLUSTER is left: QEMU processes, helpers, namespace."""
    for node in cluster.nodes:
        assert not pid_alive(node.vm.pid), f"QEMU of {node.name} left running"
    for proc in cluster.helpers:
        assert proc.poll() is not None


# ------------------------------------------------------------ one Linux VM

@pytest.fixture(scope="module")
def linux1(request):
    return start_cluster(request, "linux-vm-single", processors=0, memories=0, linux=1)


def test_ready_line_and_module(linux1):
    vm = linux1.node("l0").vm
    assert vm.find_all(r"lego: linux node ready: node=0 ip=10\.0\.0\.1/24 dev=eth0")
    assert vm.find_all(r"lego: insmod lego_fit node=0 peers=0@10\.0\.0\.1")
    assert vm.find_all(r"lego_fit: node 0 up on UDP port \d+")
    _, output = linux1.shell("l0", "grep -c lego_fit /proc/modules; ip -4 addr show eth0")
    assert "inet 10.0.0.1/24" in output


def test_proc_stats(linux1):
    _, output = linux1.shell("l0", "cat /proc/lego_fit/stats")
    assert re.search(r"^node 0 epoch=[0-9a-f]{8}$", output, re.M), output
    assert re.search(r"^global rx_pkts=\d+ .*tx_errors=\d+$", output, re.M), output


def test_module_parameters(linux1):
    _, output = linux1.shell(
        "l0", "cat /sys/module/lego_fit/parameters/node /sys/module/lego_fit/parameters/peers")
    assert output.split()[-2:] == ["0", "0@10.0.0.1"]


def test_bad_test_command_fails(linux1):
    status, output = linux1.shell("l0", "echo bogus > /proc/lego_fit/test", check=False)
    assert status != 0


# ---------------------------------------------------- two Linux VMs, FIT

@pytest.fixture(scope="module")
def linux2(request):
    return start_cluster(request, "linux-vm-pair", processors=0, memories=0, linux=2,
                         net="switch")


@pytest.mark.parametrize("size", [0, 1, 4096, 65536, 2 << 20])
def test_echo_between_linux_vms(linux2, size):
    calls = 20 if size < (1 << 20) else 2
    fields = fit_test(linux2, "l0", f"echo 1 {size} 2 {calls} 60000")
    assert fields.get("ok") == str(calls), fields
    assert fields["mismatches"] == "0" and fields["errors"] == "0"


def test_echo_both_directions_counted(linux2):
    fit_test(linux2, "l1", "count 0 reset")
    fields = fit_test(linux2, "l1", "echo 0 32 4 200")
    assert fields.get("ok") == "200", fields
    count = fit_test(linux2, "l1", "count 0 reset")
    assert count.get("echoes") == "200", count


def test_switch_pcap_has_fit_frames(linux2):
    pcap = linux2.network.pcap
    assert pcap and pcap.exists()
    result = subprocess.run(["tcpdump", "-n", "-r", str(pcap), "udp"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert re.search(r"10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.\d+: UDP", result.stdout), \
        result.stdout[-2000:]


def fit_stats(cluster):
    """Both nodes' /proc/lego_fit/stats, for failure messages."""
    return "\n".join(cluster.shell(name, "cat /proc/lego_fit/stats", check=False)[1]
                     for name in ("l0", "l1"))


def test_fit_under_loss_and_duplication(linux2):
    linux2.netem_all("loss 5% duplicate 2% reorder 10%")
    try:
        fit_test(linux2, "l0", "count 1 reset")
        fields = fit_test(linux2, "l0", "echo 1 8192 4 200 60000")
        assert fields.get("ok") == "200", f"{fields}\n{fit_stats(linux2)}"
        count = fit_test(linux2, "l0", "count 1 reset")
        assert count.get("echoes") == "200", count   # each call ran once
    finally:
        linux2.netem_all("")
    stats = linux2.switch_stats()
    assert stats["l0"]["dropped"] > 0 and stats["l1"]["duplicated"] > 0, stats


def test_module_reload_is_a_restart(linux2):
    """rmmod + insmod on l1 is a reboot of node 1 (a new epoch): its /proc
    files go and come back, and calls work again in both directions."""
    status, output = linux2.shell("l1", "rmmod lego_fit; test -e /proc/lego_fit", check=False)
    assert status != 0 and "node 1 down" in output, output
    _, output = linux2.shell(
        "l1", "insmod /lib/lego/lego_fit.ko node=1 peers=0@10.0.0.1,1@10.0.0.2 && "
              "cat /proc/lego_fit/stats")
    assert re.search(r"^node 1 epoch=[0-9a-f]{8}$", output, re.M), output
    fields = fit_test(linux2, "l1", "echo 0 100 2 20")
    assert fields.get("ok") == "20", fields
    fields = fit_test(linux2, "l0", "echo 1 100 2 20")
    assert fields.get("ok") == "20", fields


# ----------------------------------------------------------------- netns

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or not os.path.exists("/dev/net/tun") or not shutil.which("tcpdump"),
    reason="netns mode needs root, /dev/net/tun and tcpdump")


@needs_root
def test_netns_ping_and_tcpdump(request, tmp_path):
    cluster = start_cluster(request, "linux-vm-netns", processors=0, memories=0, linux=2,
                            net="netns", linux_lego_modules=False)
    netns = cluster.netns
    assert netns in subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE,
                                   text=True).stdout
    pcap = tmp_path / "br0.pcap"
    dump = cluster.tcpdump(pcap, expression=["icmp"])
    _, output = cluster.shell("l0", "ping -c 3 -W 5 10.0.0.2")
    assert " 0% packet loss" in output, output
    host = cluster.run(["ping", "-c", "2", "-W", "5", "10.0.0.2"])
    assert host.returncode == 0, host.stdout
    cluster.stop_helper(dump)
    frames = subprocess.run(["tcpdump", "-n", "-r", str(pcap)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True).stdout
    assert re.search(r"10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request", frames), frames
    assert re.search(r"10\.0\.0\.254 > 10\.0\.0\.2: ICMP echo request", frames), frames
    assert re.search(r"10\.0\.0\.2 > 10\.0\.0\.1: ICMP echo reply", frames), frames

    cluster.stop()
    assert_gone(cluster)
    assert netns not in subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE,
                                       text=True).stdout
    links = subprocess.run(["ip", "-o", "link"], stdout=subprocess.PIPE, text=True).stdout
    assert "tap-l0" not in links and "tap-l1" not in links


@needs_root
def test_netns_stopped_on_failure(request):
    """A cluster torn down by an exception leaves nothing behind."""
    cluster = Cluster(processors=0, memories=0, linux=1, net="netns",
                      logdir=LOG_DIR / "linux-vm-netns-failure", linux_lego_modules=False)
    request.addfinalizer(cluster.stop)
    with pytest.raises(RuntimeError):
        with cluster:
            cluster.start()
            raise RuntimeError("a test failing half-way")
    assert_gone(cluster)
    assert cluster.netns not in subprocess.run(["ip", "netns", "list"],
                                               stdout=subprocess.PIPE, text=True).stdout


def test_switch_netem_spec_errors(request):
    cluster = Cluster(processors=0, memories=0, linux=1, net="switch",
                      logdir=LOG_DIR / "linux-vm-switch-spec")
    request.addfinalizer(cluster.stop)
    cluster.network.setup(cluster.nodes, cluster.rundir)
    with pytest.raises(ClusterError, match="unknown netem word"):
        cluster.netem("l0", "bogus 5%")
    cluster.netem("l0", "loss 5% duplicate 1% delay 2ms 1ms reorder 25% 50%")
    cluster.netem("l0", "")
    switch = cluster.network.proc
    cluster.stop()
    assert switch.poll() is not None


# ------------------------------------------------------------ the launcher

def launch(kernels, tmp_path, *args):
    from test_launcher import Launcher

    kernels.vmlinux("processor")
    kernels.vmlinux("memory")
    return Launcher(["up", "--no-console", "--logdir", str(tmp_path / "run")] + list(args))


def ns_list():
    return subprocess.run(["ip", "netns", "list"], stdout=subprocess.PIPE, text=True).stdout


@pytest.mark.parametrize("net", ["switch", pytest.param("netns", marks=needs_root)])
def test_launcher_with_linux_node(kernels, tmp_path, net):
    """scripts/lego up --linux 1: three nodes with ids, addresses and
    peers; Ctrl-C leaves no QEMU, switch or namespace behind."""
    run = launch(kernels, tmp_path, "--linux", "1", "--net", net)
    try:
        run.wait_for(r"cluster running", timeout=READY_TIMEOUT)
        nodes = run.nodes()
        assert sorted(nodes) == ["l0", "m0", "p0"]
        peers = "0@10.0.0.1,1@10.0.0.2,2@10.0.0.3"
        assert f"peers: {peers}" in run.lines
        log = (tmp_path / "run" / "l0.log").read_text()
        assert "lego: linux node ready: node=2 ip=10.0.0.3/24 dev=eth0" in log
        assert f"lego: insmod lego_fit node=2 peers={peers}" in log
        for name, node_id in (("p0", 0), ("m0", 1)):
            text = (tmp_path / "run" / f"{name}.log").read_text()
            assert re.search(rf"lego\.node={node_id} lego\.ip=10\.0\.0\.{node_id + 1}/24 "
                             rf"lego\.peers={peers}", text)
        namespace = re.search(r"network namespace (\S+)", "\n".join(run.lines))
        run.proc.send_signal(2)         # SIGINT, as Ctrl-C
        assert run.proc.wait(timeout=30) == 0
        for role, pid, log in nodes.values():
            assert not pid_alive(pid), f"QEMU {pid} ({role}) left running"
        if net == "netns":
            assert namespace and namespace.group(1) not in ns_list()
        if net == "switch":
            switch = re.search(r"user-space switch \(pid (\d+)\)", "\n".join(run.lines))
            assert switch and not pid_alive(int(switch.group(1)))
    finally:
        run.stop()
