#!/usr/bin/python3
"""A user-space Ethernet switch for QEMU VMs, with netem-style impairments.

    lego_switch.py --port p0 --port m0 [--pcap FILE]

Each named port is a pair of UDP sockets on 127.0.0.1: the switch's, and
the VM's, which QEMU connects with

    -netdev socket,id=net0,udp=127.0.0.1:SWITCH_PORT,localaddr=127.0.0.1:VM_PORT

The first line printed is JSON: {"ports": {"p0": [SWITCH_PORT, VM_PORT], ...}}.
Frames are forwarded like a learning bridge. Every frame entering the
switch is written to --pcap (flushed at once: `tcpdump -r FILE` reads it
while the switch runs).

Impairments apply to the frames a port sends to its VM, like `tc qdisc ...
netem` on a tap device (so set them on every port to impair both
directions). Standard input takes one JSON command per line, each answered
by one JSON line on standard output:

    {"cmd": "netem", "port": "p0", "spec": "loss 5% duplicate 2% reorder 25% delay 2ms"}
    {"cmd": "netem", "port": "p0", "spec": ""}          (clear)
    {"cmd": "stats"}                                     (counters per port)
    {"cmd": "inject", "port": "p0", "frame": "HEX"}     (send a frame to p0's VM)

The switch exits when standard input closes (so it never outlives the
process that started it). No root is needed; it uses only the standard
library. This kernel lacks sch_netem, so this is how the tests get loss,
duplication and reordering without it.
"""

import argparse
import heapq
import json
import os
import random
import re
import selectors
import socket
import struct
import sys
import time

SNAPLEN = 65535
DEFAULT_REORDER_MS = 2.0


class NetemError(ValueError):
    pass


def parse_percent(word):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)%?", word)
    if not match:
        raise NetemError(f"bad percentage {word!r}")
    return float(match.group(1)) / 100.0


def parse_time_ms(word):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(us|ms|s)?", word)
    if not match:
        raise NetemError(f"bad time {word!r}")
    value = float(match.group(1))
    unit = match.group(2) or "ms"
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_netem(spec):
    """The subset of tc-netem(8) syntax we implement, as a dict.

    loss P% | duplicate P% | corrupt P% | reorder P% [CORR%] |
    delay T [JITTER]   (times in us, ms or s; a bare number is ms)
    """
    rules = {"loss": 0.0, "duplicate": 0.0, "corrupt": 0.0, "reorder": 0.0,
             "delay_ms": 0.0, "jitter_ms": 0.0}
    words = spec.split()
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("loss", "duplicate", "corrupt", "reorder"):
            if i + 1 >= len(words):
                raise NetemError(f"{word} needs a percentage")
            if word == "loss" and words[i + 1] == "random":
                i += 1
            rules[word] = parse_percent(words[i + 1])
            i += 2
            # an optional correlation: accepted, not modelled
            if i < len(words) and re.fullmatch(r"\d+(\.\d+)?%", words[i]):
                i += 1
        elif word == "delay":
            if i + 1 >= len(words):
                raise NetemError("delay needs a time")
            rules["delay_ms"] = parse_time_ms(words[i + 1])
            i += 2
            if i < len(words) and re.fullmatch(r"\d+(\.\d+)?(us|ms|s)?", words[i]):
                rules["jitter_ms"] = parse_time_ms(words[i])
                i += 1
        else:
            raise NetemError(f"unknown netem word {word!r}")
    return rules


class Port:
    def __init__(self, name, sock, vm_addr):
        self.name = name
        self.sock = sock
        self.vm_addr = vm_addr
        self.rules = parse_netem("")
        self.counters = dict.fromkeys(
            ["rx_frames", "rx_bytes", "tx_frames", "tx_bytes", "dropped",
             "duplicated", "corrupted", "reordered", "delayed"], 0)


class Switch:
    def __init__(self, names, pcap=None, seed=None):
        self.random = random.Random(seed)
        self.ports = {}
        self.macs = {}          # MAC -> Port
        self.timers = []        # (due, sequence, port, frame)
        self.sequence = 0
        self.pcap = None
        for name in names:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
            sock.setblocking(False)
            self.ports[name] = Port(name, sock, ("127.0.0.1", free_udp_port()))
        if pcap:
            self.pcap = open(pcap, "wb")
            # pcap global header: magic, v2.4, tz 0, sigfigs 0, snaplen, Ethernet
            self.pcap.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN, 1))
            self.pcap.flush()

    # ------------------------------------------------------------ frames

    def capture(self, frame):
        if not self.pcap:
            return
        now = time.time()
        seconds = int(now)
        self.pcap.write(struct.pack("<IIII", seconds, int((now - seconds) * 1e6),
                                    len(frame), len(frame)) + frame)
        self.pcap.flush()

    def receive(self, port):
        while True:
            try:
                frame, _ = port.sock.recvfrom(SNAPLEN)
            except BlockingIOError:
                return
            port.counters["rx_frames"] += 1
            port.counters["rx_bytes"] += len(frame)
            self.capture(frame)
            if len(frame) < 14:
                continue
            dst, src = frame[0:6], frame[6:12]
            if not src[0] & 1:
                self.macs[src] = port
            target = self.macs.get(dst) if not dst[0] & 1 else None
            if target is port:
                continue
            for out in ([target] if target else self.ports.values()):
                if out is not port:
                    self.output(out, frame)

    def output(self, port, frame):
        rules = port.rules
        rnd = self.random.random
        if rules["loss"] and rnd() < rules["loss"]:
            port.counters["dropped"] += 1
            return
        copies = 1
        if rules["duplicate"] and rnd() < rules["duplicate"]:
            port.counters["duplicated"] += 1
            copies = 2
        for _ in range(copies):
            data = frame
            if rules["corrupt"] and rnd() < rules["corrupt"]:
                port.counters["corrupted"] += 1
                index = self.random.randrange(len(data))
                data = data[:index] + bytes([data[index] ^ (1 << self.random.randrange(8))]) \
                    + data[index + 1:]
            delay = rules["delay_ms"]
            if delay and rules["jitter_ms"]:
                delay = max(0.0, delay + self.random.uniform(-rules["jitter_ms"],
                                                             rules["jitter_ms"]))
            if rules["reorder"]:
                if delay:
                    # netem: with a delay, reordered packets skip it
                    if rnd() < rules["reorder"]:
                        port.counters["reordered"] += 1
                        delay = 0.0
                elif rnd() < rules["reorder"]:
                    port.counters["reordered"] += 1
                    delay = DEFAULT_REORDER_MS
            if delay:
                port.counters["delayed"] += 1
                self.sequence += 1
                heapq.heappush(self.timers, (time.monotonic() + delay / 1000.0,
                                             self.sequence, port, data))
            else:
                self.transmit(port, data)

    def transmit(self, port, frame):
        try:
            port.sock.sendto(frame, port.vm_addr)
        except (BlockingIOError, ConnectionRefusedError):
            port.counters["dropped"] += 1
            return
        port.counters["tx_frames"] += 1
        port.counters["tx_bytes"] += len(frame)

    def run_timers(self):
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            _, _, port, frame = heapq.heappop(self.timers)
            self.transmit(port, frame)
        return (self.timers[0][0] - now) if self.timers else None

    # ----------------------------------------------------------- control

    def command(self, line):
        try:
            request = json.loads(line)
            cmd = request.get("cmd")
            if cmd == "stats":
                return {"ok": True, "ports": {n: p.counters for n, p in self.ports.items()}}
            port = self.ports.get(request.get("port"))
            if port is None:
                return {"ok": False, "error": f"no port {request.get('port')!r}"}
            if cmd == "netem":
                port.rules = parse_netem(request.get("spec", ""))
                return {"ok": True, "rules": port.rules}
            if cmd == "inject":
                self.transmit(port, bytes.fromhex(request["frame"]))
                return {"ok": True}
            return {"ok": False, "error": f"unknown command {cmd!r}"}
        except (ValueError, KeyError, TypeError) as error:
            return {"ok": False, "error": str(error)}

    def serve(self):
        selector = selectors.DefaultSelector()
        for port in self.ports.values():
            selector.register(port.sock, selectors.EVENT_READ, port)
        stdin = sys.stdin.buffer
        selector.register(stdin, selectors.EVENT_READ, None)
        pending = b""
        print(json.dumps({"ports": {n: [p.sock.getsockname()[1], p.vm_addr[1]]
                                    for n, p in self.ports.items()}}), flush=True)
        while True:
            timeout = self.run_timers()
            for key, _ in selector.select(timeout):
                if key.data is not None:
                    self.receive(key.data)
                    continue
                data = os.read(stdin.fileno(), 65536)
                if not data:
                    return
                pending += data
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    if line.strip():
                        print(json.dumps(self.command(line)), flush=True)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", action="append", required=True, metavar="NAME")
    parser.add_argument("--pcap", metavar="FILE")
    parser.add_argument("--seed", type=int, default=None)
    options = parser.parse_args(argv)
    try:
        Switch(options.port, options.pcap, options.seed).serve()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
