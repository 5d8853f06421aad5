"""PCI interrupts: the kernel's selftest=pci raises interrupt causes on e1000
(INTx) and e1000e (MSI-X, MSI, INTx) NICs through their ICS register and waits
for each handler to run, on both chipsets QEMU offers. Also: the listing shows
every device QEMU was given, and ECAM agrees with port I/O config access.
"""

import pytest

from lego_vm import nic_args

NICS = nic_args("e1000", 0) + nic_args("e1000e", 1) + nic_args("virtio-net-pci", 2)
# e1000 and e1000e share an INTx line when the e1000 has a twin on the same pin
SHARED = nic_args("e1000", 3)
TIMEOUT = 60


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_pci_interrupts(machine, make_iso, boot):
    vm = boot(make_iso("processor", "selftest=pci"), machine=machine,
              extra_args=NICS + SHARED)
    vm.wait_for(r"selftest: done", timeout=TIMEOUT)
    failed = [m.string for m in vm.find_all(r"selftest: .*FAILED")]
    assert not failed, "\n".join(failed)
    modes = {m.group(1) for m in vm.find_all(r"selftest: pci irq ok: \S+ via (\w+)")}
    assert {"msix", "msi", "intx"} <= modes, f"interrupt modes seen: {sorted(modes)}"
    summary = vm.find_all(r"selftest: pci irq: (\d+) of (\d+) tests passed")
    assert summary, "no pci irq summary"
    passed, total = map(int, summary[-1].groups())
    assert passed == total and total >= 4
    if machine == "q35":
        assert vm.find_all(r"selftest: pci ecam ok")


def test_pci_listing_matches_devices(make_iso, boot):
    vm = boot(make_iso("memory", "lego.node=1"), extra_args=NICS)
    match = vm.wait_for(r"pci: (\d+) devices", timeout=TIMEOUT)
    listed = vm.find_all(r"(?<![\w-])pci (0000:[0-9a-f:.]+) ([0-9a-f]{4}:[0-9a-f]{4}) class")
    assert len(listed) == int(match.group(1))
    ids = [m.group(2) for m in listed]
    for want in ("8086:100e", "8086:10d3", "1af4:1000"):
        assert want in ids, f"{want} not listed: {ids}"
    # each NIC shows its memory BAR
    assert vm.find_all(r"BAR0: mem 0x[0-9a-f]+-0x[0-9a-f]+ 32-bit")
