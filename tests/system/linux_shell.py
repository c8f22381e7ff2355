#!/usr/bin/env python3
"""linux_shell.py - boot a system image whose cell runs Debian's Linux with the busybox
initramfs, talk to its shell like a user of `make run`, and print TAP lines.

usage: linux_shell.py IMAGE LOG SMP MEM TIMEOUT
"""
import os
import re
import select
import subprocess
import sys
import time

image, log, smp, mem, limit = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
cmd = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
       "-cpu", "max,pauth-impdef=on", "-nic", "none", "-smp", smp, "-m", mem, "-nographic", "-kernel", image]
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
os.set_blocking(proc.stdout.fileno(), False)
out = b""
deadline = time.monotonic() + limit
results = []


def read_until(pattern, secs):
    """Read console output until regex PATTERN (bytes) matches text after the mark."""
    global out
    start = len(out)
    end = min(deadline, time.monotonic() + secs)
    while time.monotonic() < end:
        m = re.search(pattern, out[start:])
        if m:
            return m
        r, _, _ = select.select([proc.stdout], [], [], 0.2)
        if r:
            chunk = proc.stdout.read()
            if not chunk:
                break
            out += chunk
    return re.search(pattern, out[start:])


def send(line):
    proc.stdin.write(line.encode() + b"\n")
    proc.stdin.flush()


def check(ok, what):
    results.append((bool(ok), what))


check(read_until(rb"cella-guest: /init reached", 240), "Linux reaches /init in the cell")
check(read_until(rb"[#$] (\x1b\[6n)?$", 60), "busybox shell prompt")
send("uname -m")
check(read_until(rb"\naarch64\r?\n", 30), "uname -m prints aarch64")
send("echo cpus=$(grep -c ^processor /proc/cpuinfo)")
check(read_until(rb"\ncpus=2\r?\n", 30), "/proc/cpuinfo shows 2 processors")
send("echo 0 > /sys/devices/system/cpu/cpu1/online; echo 1 > /sys/devices/system/cpu/cpu1/online;"
     " taskset 2 sh -c 'sleep 1; echo timer-on-cpu1-ok'")
check(read_until(rb"\ntimer-on-cpu1-ok\r?\n", 60),
      "CPU hotplug: vCPU 1 off and on again (PSCI CPU_OFF/CPU_ON), its timer still works")
send("poweroff")
check(read_until(rb"no cell left running; powering off", 60), "poweroff ends the cell")
try:
    status = proc.wait(timeout=max(1, deadline - time.monotonic()))
except subprocess.TimeoutExpired:
    proc.kill()
    status = "timeout"
out += proc.stdout.read() or b""
check(status == 0, "QEMU exits 0 (status %s)" % status)
with open(log, "wb") as f:
    f.write(out)

print("1..%d" % len(results))
for i, (ok, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
if not all(ok for ok, _ in results):
    for line in out.decode(errors="replace").splitlines()[-40:]:
        print("# " + line)
    sys.exit(1)
