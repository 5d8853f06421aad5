"""The NIC drivers and the IPv4/UDP stack: two LegoOS VMs on one segment
(a QEMU multicast socket on the loopback interface), one running
selftest=net against the other's UDP echo port, for each pair of NIC models.
"""

import random

import pytest

from lego_vm import nic_args

TIMEOUT = 60


def segment():
    port = random.randrange(20000, 60000)
    return f"socket,mcast=239.255.77.{random.randrange(1, 250)}:{port},localaddr=127.0.0.1"


@pytest.mark.parametrize("client_nic,server_nic", [
    ("virtio-net-pci", "virtio-net-pci"),
    ("e1000", "e1000"),
    ("virtio-net-pci", "e1000"),
])
def test_udp_echo_between_vms(client_nic, server_nic, make_iso, boot):
    net = segment()
    server = boot(make_iso("memory", "lego.ip=10.0.0.2/24"), name="net-server",
                  extra_args=nic_args(server_nic, 0, net, mac="52:54:00:4c:00:02"))
    server.wait_for(r"lego: memory manager ready", timeout=TIMEOUT)
    server.wait_for(r"net: eth0 10\.0\.0\.2/24", timeout=TIMEOUT, from_start=True)
    client = boot(make_iso("processor",
                           "lego.ip=10.0.0.1/24 selftest=net selftest.peer=10.0.0.2"),
                  name="net-client",
                  extra_args=nic_args(client_nic, 0, net, mac="52:54:00:4c:00:01"))
    client.wait_for(r"selftest: done", timeout=TIMEOUT)
    failed = [m.string for m in client.find_all(r"selftest: .*FAILED")]
    assert not failed, "\n".join(failed)
    assert client.find_all(r"selftest: net ok")
    sizes = {int(m.group(1)) for m in client.find_all(r"selftest: net echo (\d+) bytes")}
    assert {4, 64, 1024, 1472} <= sizes


def test_jumbo_frames_e1000(make_iso, boot):
    net = segment()
    server = boot(make_iso("memory", "lego.ip=10.0.0.2/24 lego.mtu=9000"), name="jumbo-server",
                  extra_args=nic_args("e1000", 0, net, mac="52:54:00:4c:00:12"))
    server.wait_for(r"net: eth0 10\.0\.0\.2/24 mtu 9000", timeout=TIMEOUT)
    client = boot(make_iso("processor", "lego.ip=10.0.0.1/24 lego.mtu=9000 selftest=net "
                                        "selftest.peer=10.0.0.2"),
                  name="jumbo-client",
                  extra_args=nic_args("e1000", 0, net, mac="52:54:00:4c:00:11"))
    client.wait_for(r"selftest: done", timeout=TIMEOUT)
    assert client.find_all(r"selftest: net echo 8972 bytes to 10\.0\.0\.2"), \
        "no 8972-byte echo (9000-byte MTU)"
    assert client.find_all(r"selftest: net ok")


def test_bad_ip_option_keeps_booting(make_iso, boot):
    vm = boot(make_iso("processor", "lego.ip=10.0.300.1/24"),
              extra_args=nic_args("virtio-net-pci", 0))
    vm.wait_for(r"net: bad lego\.ip=10\.0\.300\.1/24", timeout=TIMEOUT)
    vm.wait_for(r"lego: processor manager ready", timeout=TIMEOUT)
