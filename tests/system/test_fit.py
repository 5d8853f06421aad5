"""FIT between the LegoOS kernels and Linux's lego_fit.ko (issue 3).

One cluster on the user-space switch: p0 (processor manager, node 0), m0
(memory manager, node 1), l0 (Linux VM, node 2). Every LegoOS node boots
with selftest=fit selftest.fit_node=0,1,2, so p0 and m0 each run echo calls
of 0 B to 2 MB (compared byte for byte) and 10,000 small calls from 4
threads at every other node, Linux included, and check through FIT_OP_COUNT
that the far handler ran exactly once per call; p0 also calls a configured
peer that is down and must get -ETIMEDOUT. Then l0 calls both kernels, on a
clean wire and under loss, duplication and reordering, and garbage
datagrams are thrown at p0, which must drop and count them and keep
answering.
"""

import random
import re
import shutil
import struct

import pytest

from conftest import LOG_DIR, log_name
from lego_cluster import Cluster, ClusterError
from test_linux_vm import fit_test

READY_TIMEOUT = 180
SELFTEST_TIMEOUT = 600
FIT_PORT = 7475

SELFTEST = ("selftest=fit selftest.fit_node=0,1,2 selftest.fit_calls=10000 "
            "selftest.fit_dead=9@10.0.0.99")


@pytest.fixture(scope="module")
def cluster(request):
    logdir = LOG_DIR / log_name("fit-cluster")
    shutil.rmtree(logdir, ignore_errors=True)
    cluster = Cluster(processors=1, memories=1, linux=1, net="switch", logdir=logdir,
                      append=SELFTEST)
    request.addfinalizer(cluster.stop)
    try:
        cluster.start()
        cluster.wait_ready(READY_TIMEOUT)
    except ClusterError as error:
        pytest.fail(str(error), pytrace=False)
    return cluster


def vm(cluster, name):
    return cluster.node(name).vm


@pytest.mark.parametrize("name", ["p0", "m0"])
def test_kernel_selftest_against_every_peer(cluster, name):
    node = vm(cluster, name)
    node.wait_for(r"selftest: done", timeout=SELFTEST_TIMEOUT, from_start=True)
    failed = [m.string for m in node.find_all(r"FAILED")]
    assert not failed, "\n".join(failed)
    assert node.find_all(r"selftest: fit ok: 2 peers")
    echoed = {(int(m.group(1)), int(m.group(3)))
              for m in node.find_all(r"fit: echo to node (\d+): (\d+) calls of (\d+) bytes ok")}
    peers = {0, 1, 2} - {0 if name == "p0" else 1}
    for peer in peers:
        for size in (0, 1, 4096, 65536, 2 << 20, 64):
            assert (peer, size) in echoed, f"no {size}-byte echo to node {peer}"
    ran = [m.group(0) for m in node.find_all(r"10000 calls of 64 bytes ok.*handler ran 10000 times")]
    assert len(ran) == 2, "10,000 calls did not each run once"


def test_down_peer_times_out(cluster):
    node = vm(cluster, "p0")
    node.wait_for(r"selftest: done", timeout=SELFTEST_TIMEOUT, from_start=True)
    match = node.find_all(r"selftest: fit call to down node 9: -ETIMEDOUT after (\d+) ms")
    assert match, "no timeout line for the down peer"
    assert 500 <= int(match[0].group(1)) <= 2500
    # the node is still up and serving
    vm(cluster, "p0").wait_for(r"lego: processor manager ready", timeout=60, from_start=True)


@pytest.mark.parametrize("target", [0, 1])
@pytest.mark.parametrize("size", [0, 4096, 2 << 20])
def test_linux_calls_kernel(cluster, target, size):
    for name in ("p0", "m0"):
        vm(cluster, name).wait_for(r"selftest: done", timeout=SELFTEST_TIMEOUT, from_start=True)
    calls = 2 if size > 65536 else 20
    fit_test(cluster, "l0", f"count {target} reset")
    fields = fit_test(cluster, "l0", f"echo {target} {size} 2 {calls} 120000")
    assert fields.get("ok") == str(calls), fields
    assert fields["mismatches"] == "0" and fields["errors"] == "0", fields
    count = fit_test(cluster, "l0", f"count {target} reset")
    assert count.get("echoes") == str(calls), count


def test_lossy_wire_exactly_once(cluster):
    for name in ("p0", "m0"):
        vm(cluster, name).wait_for(r"selftest: done", timeout=SELFTEST_TIMEOUT, from_start=True)
    cluster.netem_all("loss 5% duplicate 5% reorder 10%")
    try:
        for target in (0, 1):
            fit_test(cluster, "l0", f"count {target} reset")
            fields = fit_test(cluster, "l0", f"echo {target} 8192 4 200 120000")
            assert fields.get("ok") == "200", fields
            count = fit_test(cluster, "l0", f"count {target} reset")
            assert count.get("echoes") == "200", count
        big = fit_test(cluster, "l0", "echo 0 2097152 1 2 240000")
        assert big.get("ok") == "2", big
    finally:
        cluster.netem_all("")
    stats = cluster.switch_stats()
    assert stats["l0"]["dropped"] > 0 and stats["l0"]["duplicated"] > 0, stats


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def udp_frame(dst_mac, src_mac, src_ip, dst_ip, payload, sport=40000):
    """An Ethernet/IPv4/UDP frame to the FIT port, UDP checksum 0 (none)."""
    udp = struct.pack("!HHHH", sport, FIT_PORT, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0x4000, 64, 17, 0,
                     bytes(map(int, src_ip.split("."))), bytes(map(int, dst_ip.split("."))))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    mac = lambda text: bytes.fromhex(text.replace(":", ""))  # noqa: E731
    return mac(dst_mac) + mac(src_mac) + b"\x08\x00" + ip + udp


def test_garbage_datagrams_dropped_and_counted(cluster):
    for name in ("p0", "m0"):
        vm(cluster, name).wait_for(r"selftest: done", timeout=SELFTEST_TIMEOUT, from_start=True)
    p0, l0 = cluster.node("p0"), cluster.node("l0")
    rng = random.Random(7)
    header = struct.pack("<I", 0x4c544946)     # FIT_MAGIC as it is on the wire
    before = fit_test(cluster, "l0", "gstats 0")
    for i in range(300):
        kind = i % 3
        if kind == 0:
            payload = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        elif kind == 1:       # right magic and version, truncated header
            payload = header + bytes([1]) + bytes(rng.randrange(256) for _ in range(20))
        else:                 # right magic, full length, garbage (bad checksum)
            payload = header + bytes([1]) + bytes(rng.randrange(256) for _ in range(80))
        cluster.inject(p0, udp_frame(p0.mac, l0.mac, l0.address, p0.address, payload))
    # still answering, and every call ran once
    fit_test(cluster, "l0", "count 0 reset")
    fields = fit_test(cluster, "l0", "echo 0 1000 2 100 120000")
    assert fields.get("ok") == "100", fields
    assert fit_test(cluster, "l0", "count 0 reset").get("echoes") == "100"
    after = fit_test(cluster, "l0", "gstats 0")
    dropped = sum(int(after[k]) - int(before[k])
                  for k in ("short", "bad_magic", "bad_version", "bad_csum", "malformed"))
    assert dropped == 300, f"before {before}\nafter {after}"
