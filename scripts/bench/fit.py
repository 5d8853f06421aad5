#!/usr/bin/python3
"""make bench-fit: FIT round trips against the raw round trip of the same wire.

Boots two LegoOS VMs on one QEMU multicast segment: a memory manager (node 1)
that only answers, and a processor manager (node 0) booted with bench=fit,
which measures, in one run, UDP echoes of 32 bytes to node 1's echo port (the
raw round trip through both kernels' IP stacks) and FIT calls of 32 B/4 B,
32 B/4 KB and 4 KB/4 B, then 4 KB replies with several callers. The kernel
prints one line per figure and a last line
    fit: rtt32_over_raw=R1 rtt4k_over_raw=R2
This script shows those lines and exits non-zero if the run fails.
"""

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "system"))

from lego_vm import BUILD, LegoVM, VMError, build_kernel, mkiso, nic_args  # noqa: E402

LOG_DIR = BUILD / "bench"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nic", default="virtio-net-pci", help="QEMU NIC model")
    parser.add_argument("--calls", type=int, default=500, help="calls per latency figure")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the whole run")
    args = parser.parse_args()

    LOG_DIR.mkdir(parents=True, exist_ok=True)
    segment = (f"socket,mcast=239.255.78.{random.randrange(1, 250)}:"
               f"{random.randrange(20000, 60000)},localaddr=127.0.0.1")
    peers = "lego.peers=0@10.0.0.1,1@10.0.0.2"
    nodes = {
        "server": ("memory", f"lego.node=1 lego.ip=10.0.0.2/24 {peers}", "52:54:00:4c:01:02"),
        "client": ("processor", f"lego.node=0 lego.ip=10.0.0.1/24 {peers} "
                                f"bench=fit bench.calls={args.calls}", "52:54:00:4c:01:01"),
    }
    vms = []
    try:
        for name, (role, cmdline, mac) in nodes.items():
            iso = LOG_DIR / f"{name}.iso"
            mkiso(build_kernel(role), iso, cmdline)
            vm = LegoVM(iso, LOG_DIR / f"{name}.log", name=f"bench-{name}",
                        extra_args=nic_args(args.nic, 0, segment, mac=mac))
            vms.append(vm.start())
            # the client measures at boot: its peer must be up first
            vm.wait_for(rf"lego: {role} manager ready|fit: bench", timeout=120)
        client = vms[-1]
        last = client.wait_for(r"fit: rtt32_over_raw=\S+ rtt4k_over_raw=\S+",
                               timeout=args.timeout, from_start=True)
        for match in client.find_all(r"fit: (bench|raw |rtt |throughput).*"):
            print(match.group(0))
        if client.find_all(r"fit: bench FAILED"):
            return 1
        print(last.group(0))
        return 0
    except VMError as error:
        print(f"bench-fit: {error}", file=sys.stderr)
        return 1
    finally:
        for vm in vms:
            vm.kill()


if __name__ == "__main__":
    sys.exit(main())
