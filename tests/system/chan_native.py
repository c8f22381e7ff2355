#!/usr/bin/env python3
"""chan_native.py - cella-chan and cella-ctl on native Linux (no cella): Debian's kernel with the
guest initramfs on QEMU virt with QEMU's own ivshmem-plain (shared memory, no interrupts) and
two edu devices (INTx through uio_pci_generic). Two processes act as the channel's two ends
(--end 1); the edu devices stand in for the doorbells (--doorbell-edu). Prints TAP lines.

usage: chan_native.py GUEST_DIR SHM_FILE LOG TIMEOUT
"""
import os
import re
import select
import subprocess
import sys
import time

guest, shm, log, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
with open(shm, "wb") as f:
    f.truncate(1 << 20)
cmd = ["qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "max,pauth-impdef=on",
       "-nic", "none", "-smp", "2", "-m", "512M", "-nographic",
       "-kernel", guest + "/vmlinuz", "-initrd", guest + "/initrd.img",
       "-append", "console=ttyAMA0 quiet",
       "-object", "memory-backend-file,id=shm,size=1M,share=on,mem-path=" + shm,
       "-device", "ivshmem-plain,memdev=shm,addr=4",
       "-device", "edu,addr=5", "-device", "edu,addr=6"]
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
os.set_blocking(proc.stdout.fileno(), False)
out = b""
deadline = time.monotonic() + limit
results = []
n_run = 0


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


def run(line, secs=60):
    """Type LINE at the shell; return (exit status or None, its output as text)."""
    global n_run
    n_run += 1
    mark = "@@done%d" % n_run
    start = len(out)
    proc.stdin.write(("%s; echo %s=$?\n" % (line, mark)).encode())
    proc.stdin.flush()
    m = read_until((r"\n%s=(\d+)" % mark).encode(), secs)
    text = out[start:].decode(errors="replace").replace("\r", "")
    return (int(m.group(1)) if m else None), text


def check(ok, what):
    results.append((bool(ok), what))


def num(text, pattern):
    m = re.search(pattern, text)
    return m.group(1) if m else None


ED = "--doorbell-edu"
check(read_until(rb"cella-guest: /init reached", 240), "Linux reaches /init (native, no cella)")
check(read_until(rb"[#$] (\x1b\[6n)?$", 60), "busybox shell prompt")

st, t = run("cella-chan list")
check(st == 0 and re.search(r"\nivshmem0 +0000:00:04\.0 +1 MiB .* uio\d", t),
      "list: QEMU's ivshmem-plain as channel ivshmem0, 1 MiB, bound to uio_pci_generic")

st, t = run("cella-chan send ivshmem0 hello from end 0 && cella-chan recv ivshmem0 --end 1 --timeout 10")
check(st == 0 and "\nhello from end 0\n" in t, "send at end 0, recv at end 1 (polling: no INTx)")

# a receiver asleep at end 1 (doorbells through the edu devices), a sender at the same end
# comes and goes, then end 0's message must still wake the receiver
st, t = run("cella-chan watch ivshmem0 --end 1 %s 00:06.0,00:05.0 --timeout 20 > /tmp/w &"
            " sleep 1; cella-chan send ivshmem0 --end 1 %s 00:06.0,00:05.0 to end 0;"
            " cella-chan send ivshmem0 %s 00:05.0,00:06.0 to end 1; sleep 1; kill $!; cat /tmp/w;"
            " cella-chan recv ivshmem0 --timeout 5" % (ED, ED, ED))
check(re.search(r"cella-chan: ivshmem0: message: to end 1\n", t) and "\nto end 0\n" in t,
      "watch at end 1 sleeps through a sender at its own end, wakes for end 0's message")

st, t = run("cella-chan recv ivshmem0 --end 1 --timeout 0.5")
check(st == 1 and "timeout" in t, "recv --timeout: exits 1 when nothing comes")

# a million messages each way, doorbells through the edu devices' INTx (uio_pci_generic)
st, t = run("cella-chan exchange ivshmem0 --end 1 -n 1000000 %s 00:06.0,00:05.0 --timeout 200 > /tmp/x1 &"
            " cella-chan exchange ivshmem0 -n 1000000 %s 00:05.0,00:06.0 --timeout 200 > /tmp/x0;"
            " wait $!; cat /tmp/x0 /tmp/x1" % (ED, ED), 240)
x = re.findall(r"exchange n=1000000 sent_sum=(\d+) recv_sum=(\d+) recv_n=(\d+)", t)
check(len(x) == 2 and x[0][0] == x[1][1] and x[1][0] == x[0][1] and x[0][2] == x[1][2] == "1000000"
      and t.count(": ok: ") == 2,
      "exchange: 1,000,000 messages each way, each end's recv_sum is the other's sent_sum")
check(re.search(r"doorbells=[1-9]\d* wakeups=[1-9]", t),
      "exchange: the ends slept and were woken by doorbells (edu INTx)")

st, t = run("cella-chan pong ivshmem0 --end 1 %s 00:06.0,00:05.0 --timeout 60 &"
            " cella-chan ping ivshmem0 -n 200 --cntvct %s 00:05.0,00:06.0 --timeout 60; wait" % (ED, ED))
check(st == 0 and re.search(r"cella-chan: ping n=200 total_ticks=[1-9]\d* cntfrq=\d+", t)
      and "answered 200 pings" in t, "ping/pong: 200 round trips through doorbell interrupts")

st, t = run("cella-chan stream ivshmem0 --end 1 --recv --timeout 60 &"
            " cella-chan stream ivshmem0 --send -b 3000 -n 300 --timeout 60; wait $!;"
            " cella-chan stream --memcpy -b 3000 -n 300")
sums = re.findall(r"stream (send|recv|memcpy) bytes=900000 .* sum=(\d+)", t)
check(len(sums) == 3 and len(set(s for _, s in sums)) == 1 and "ok: bytes and checksum" in t,
      "stream: 900,000 bytes, the same checksum at sender, receiver and --memcpy")

st, t = run("cella-chan edu-ping -n 200 && cella-chan pipe-ping -n 200")
check(st == 0 and re.search(r"edu-ping n=200 total_ticks=[1-9]", t)
      and re.search(r"pipe-ping n=200 total_ticks=[1-9]", t),
      "edu-ping and pipe-ping (native baselines) report n= and total_ticks=")

st, t = run("cella-ctl list")
check(st == 1 and "no portal" in t, "cella-ctl without a portal: a clear error, exit 1")

st, t = run("cella-chan --help && cella-chan exchange --help && cella-ctl --help")
check(st == 0 and "exchange" in t and "edu-ping" in t and "restart SLOT" in t, "--help texts")

proc.stdin.write(b"poweroff -f\n")
proc.stdin.flush()
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
    for line in out.decode(errors="replace").splitlines()[-60:]:
        print("# " + line)
    sys.exit(1)
