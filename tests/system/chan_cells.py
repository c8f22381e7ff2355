#!/usr/bin/env python3
"""chan_cells.py - cella-chan and cella-ctl between two Linux cells on cella: 'ui' and
'services' joined by channel 'ui-services' (both write), and 'sensor-ui' from the native sensor
(ui reads only). Types at both shells (moving the keyboard with the operator prompt: Ctrl-]
focus CELL, exit) and prints TAP lines.

usage: chan_cells.py IMAGE LOG TIMEOUT
"""
import os
import re
import select
import subprocess
import sys
import time

image, log, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
cmd = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
       "-cpu", "max,pauth-impdef=on", "-nic", "none", "-smp", "4", "-m", "1G", "-nographic",
       "-kernel", image]
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
os.set_blocking(proc.stdout.fileno(), False)
out = b""
deadline = time.monotonic() + limit
results = []
n_run = 0
focus = "ui"


def pump(secs):
    global out
    r, _, _ = select.select([proc.stdout], [], [], secs)
    if r:
        chunk = proc.stdout.read()
        if not chunk:
            return False
        out += chunk
    return True


def read_until(pattern, secs, start=None):
    """Read console output until regex PATTERN (bytes) matches after START (default: now)."""
    start = len(out) if start is None else start
    end = min(deadline, time.monotonic() + secs)
    while time.monotonic() < end:
        m = re.search(pattern, out[start:])
        if m:
            return m
        if not pump(0.2):
            break
    return re.search(pattern, out[start:])


def send(data):
    proc.stdin.write(data)
    proc.stdin.flush()


def prompt(command):
    """One command at the operator prompt (Ctrl-] opens it, exit closes it)."""
    send(b"\x1d")
    read_until(rb"cella> ", 10)
    send(command.encode() + b"\n")
    read_until(rb"cella> ", 10)
    send(b"exit\n")
    time.sleep(0.5)


def run(cell, line, secs=60):
    """Type LINE at CELL's shell; return (exit status or None, what CELL printed meanwhile)."""
    global n_run, focus
    if cell != focus:
        prompt("focus " + cell)
        focus = cell
    n_run += 1
    mark = "@@done%d" % n_run
    start = len(out)
    sep = " " if line.rstrip().endswith("&") else "; "
    send(("%s%secho %s=$?\n" % (line, sep, mark)).encode())
    m = read_until((r"\n\[%s\] %s=(\d+)" % (cell, mark)).encode(), secs)
    text = "\n".join(l[len(cell) + 3:] for l in
                     out[start:].decode(errors="replace").replace("\r", "").split("\n")
                     if l.startswith("[%s] " % cell))
    return (int(m.group(1)) if m else None), text


def check(ok, what):
    results.append((bool(ok), what))


ok = read_until(rb"\[ui\] cella-guest: busybox shell", 300, 0) and \
    read_until(rb"\[services\] cella-guest: busybox shell", 300, 0)
check(ok, "both Linux cells reach their shells")
read_until(rb"\[ui\] cell:/# ", 20, 0)

st, t = run("ui", "cella-chan list")
check(st == 0 and re.search(r"\nsensor-ui +0000:00:0\d\.0 +4 KiB +\d+ +1 +r-n +sensor running +uio\d", t)
      and re.search(r"\nui-services +0000:00:0\d\.0 +64 KiB +\d+ +0 +rwn +services running +uio\d", t),
      "list in ui: both channels by their names, sizes, ends, rights, peers (running), uio")

st, t = run("services", "cella-chan recv ui-services --timeout 60 > /tmp/msg &")
st, t = run("ui", "cella-chan send ui-services hello services")
st2, t2 = run("services", "wait; cat /tmp/msg")
check(st == 0 and st2 == 0 and "\nhello services" in "\n" + t2, "send in ui, recv in services")

st, t = run("ui", "cella-chan watch sensor-ui --timeout 3")
check(re.search(r"sensor-ui: watching \(end 1, peer running, read-only here\)", t)
      and re.search(r"sensor-ui: reading \d+: -?\d+\.\d{3} C at \d+\.\d{3} s", t)
      and "peer stopped" not in t,
      "watch sensor-ui (read-only): the sensor's readings, no stale peer notice")

st, t = run("ui", "cella-chan send sensor-ui x; echo still-alive")
check("read-only in this cell" in t and "\nstill-alive" in t and "write to read-only" not in
      out.decode(errors="replace"), "send on the read-only channel is refused, ui keeps running")

st, t = run("ui", "cella-ctl list && cella-ctl version && cella-ctl query 8")
check(st == 0 and re.search(r"\n\d+ +channel +read,write,notify +64 KiB at IPA 0x10000000, end 0, peer running", t)
      and re.search(r"\n\d+ +channel +read,notify +4 KiB at IPA 0x14000000, end 1, peer running", t)
      and re.search(r"\n8 +cell +query,restart +running, last stop: none, restarts 0", t)
      and re.search(r"\n9 +vcpu +query +vCPU 1 on, pCPU 3", t)
      and re.search(r"cella, ABI 1\.2", t)
      and "slot 8: running, last stop: none, restarts 0" in t,
      "cella-ctl through the portal: the cspace (channels, a cell, a vCPU), the ABI, a query")

st, t = run("ui", "cella-ctl stop 8; cella-ctl start 9; cella-ctl query 99; cella-ctl query 7")
check("stop slot 8: the capability lacks the right" in t
      and "start slot 9: the capability is of another type" in t
      and "query slot 99: slot out of range" in t and "query slot 7: no capability in that slot" in t,
      "cella-ctl reports refused calls: right, type, range, empty slot")

run("services", "cella-chan pong ui-services --timeout 120 > /tmp/pong &")
st, t = run("ui", "cella-chan ping ui-services -n 100 --cntvct --timeout 120", 150)
check(st == 0 and re.search(r"cella-chan: ping n=100 total_ticks=[1-9]\d* cntfrq=\d+", t)
      and "peer stopped" not in t, "ping/pong: 100 round trips between the cells")

run("services", "wait; cella-chan exchange ui-services --timeout 200 > /tmp/x &")
st, t = run("ui", "cella-chan exchange ui-services --timeout 200", 240)
st2, t2 = run("services", "wait; cat /tmp/x", 240)
a = re.search(r"exchange n=1000000 sent_sum=(\d+) recv_sum=(\d+) recv_n=1000000", t)
b = re.search(r"exchange n=1000000 sent_sum=(\d+) recv_sum=(\d+) recv_n=1000000", t2)
check(st == 0 and a and b and a.group(1) == b.group(2) and b.group(1) == a.group(2)
      and ": ok: " in t and ": ok: " in t2,
      "exchange: a million messages each way between the cells, checksums agree")

run("ui", "cella-chan watch ui-services --timeout 120 > /tmp/w &")
time.sleep(2)
mark = len(out)
st, t = run("ui", "cella-ctl restart 8")
ok = st == 0 and "slot 8: restart: ok" in t and \
    read_until(rb"\[services\] cella-guest: busybox shell", 240, mark)
time.sleep(2)
st, t = run("ui", "cat /tmp/w; cella-ctl query 8")
check(ok and re.search(r"ui-services: peer stopped\ncella-chan: ui-services: peer started", t),
      "cella-ctl restart 8 in ui restarts services; ui's watch reports: peer stopped, peer started")
check(re.search(r"slot 8: running, last stop: by a capability, restarts 1", t),
      "cella-ctl query: services restarted once, by a capability")
read_until(rb"\[services\] cell:/# ", 20)
st, t = run("ui", "cella-chan send ui-services after the restart")
st2, t2 = run("services", "cella-chan recv ui-services --timeout 30")
check(st2 == 0 and "\nafter the restart" in "\n" + t2,
      "after the restart the channel carries messages again (counters kept in its memory)")

proc.kill()
proc.wait()
out += proc.stdout.read() or b""
with open(log, "wb") as f:
    f.write(out)

print("1..%d" % len(results))
for i, (good, what) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if good else "not ok", i, what))
if not all(good for good, _ in results):
    for line in out.decode(errors="replace").splitlines()[-80:]:
        print("# " + line)
    sys.exit(1)
