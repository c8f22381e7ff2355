#!/usr/bin/env python3
"""console_script.py - boot a system image in QEMU and drive its console from a script, like a
user at the keyboard: wait for output, type lines, press Ctrl-]. The console output goes to LOG
for the test to check with lib.sh's helpers.

usage: console_script.py IMAGE LOG SMP MEM TIMEOUT < SCRIPT

SCRIPT has one step a line (blank lines and lines starting with '#' are skipped; spaces around a
step are dropped, so a regex that must start or end with one writes it as \x20):
  expect SECS REGEX   wait up to SECS seconds for the Python bytes regex REGEX (the rest of the
                      line) in the output after the previous match
  seen SECS REGEX     the same, but REGEX may be anywhere in the output since QEMU started,
                      before or after the previous match, and the mark stays where it is: for
                      a line of another cell whose order against the last match is unknown
  send TEXT           type TEXT and Enter ('\\r'); TEXT may be empty
  key HEX             type the byte 0xHEX (e.g. "key 1d" is Ctrl-], cella's prompt key)
  sleep SECS          wait
After the last step QEMU is given the rest of TIMEOUT (seconds, for the whole run) to exit.

Exits with QEMU's exit status, or 124 (as timeout(1) does) when a step failed or QEMU did not
exit in time: QEMU is killed, the rest of the script skipped, and what failed is printed as a
'#' line (a TAP comment). A step this script does not know ends it before QEMU starts.
"""
import os
import re
import select
import subprocess
import sys
import time

image, log, smp, mem, limit = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
steps = [l.rstrip("\n") for l in sys.stdin if l.strip() and not l.lstrip().startswith("#")]
cmd = ["qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
       "-cpu", "max,pauth-impdef=on", "-nic", "none", "-smp", smp, "-m", mem, "-nographic",
       "-kernel", image]
proc = None		# QEMU, once the script has been checked
deadline = 0		# time.monotonic() at which the whole run ends
out = b""
mark = 0		# where the next expect starts looking


def read_some(secs):
    """Append what QEMU printed within SECS seconds to out; False once it has exited."""
    global out
    r, _, _ = select.select([proc.stdout], [], [], secs)
    if r:
        chunk = proc.stdout.read()
        if not chunk:
            return False
        out += chunk
    return True


def expect(secs, pattern, anywhere=False):
    """Wait for PATTERN after mark, or with ANYWHERE in all the output; True on a match, which
    (unless ANYWHERE) moves mark past it."""
    global mark
    rx = re.compile(pattern.encode())
    end = min(deadline, time.monotonic() + secs)
    while True:
        m = rx.search(out, 0 if anywhere else mark)
        if m:
            if not anywhere:
                mark = m.end()
            return True
        if time.monotonic() >= end or not read_some(0.2):
            return False


def type_bytes(data):
    proc.stdin.write(data)
    proc.stdin.flush()


def parse(n, line):
    """Step N of the script as (word, argument); exits on a step this script does not know."""
    word, _, arg = line.strip().partition(" ")
    if word in ("expect", "seen", "sleep"):
        secs = arg.partition(" ")[0]
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", secs) and (word == "sleep" or " " in arg):
            if word != "sleep":
                re.compile(arg.partition(" ")[2])	# a bad regex fails here, with its error
            return word, arg
    elif word == "send" or (word == "key" and re.fullmatch(r"[0-9a-fA-F]{1,2}", arg)):
        return word, arg
    sys.exit("console_script.py: bad step %d: %s" % (n, line))


steps = [parse(n, line) for n, line in enumerate(steps, 1)]	# all checked before QEMU starts
proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT)
os.set_blocking(proc.stdout.fileno(), False)
deadline = time.monotonic() + limit
failed = None
for n, (word, arg) in enumerate(steps, 1):
    try:
        if word in ("expect", "seen"):
            secs, _, pattern = arg.partition(" ")
            if not expect(float(secs), pattern, word == "seen"):
                failed = "step %d (%s %s) not seen" % (n, word, arg)
        elif word == "send":
            type_bytes(arg.encode() + b"\r")
        elif word == "key":
            type_bytes(bytes([int(arg, 16)]))
        else:
            end = time.monotonic() + float(arg)
            while time.monotonic() < end and read_some(max(0, end - time.monotonic())):
                pass
    except BrokenPipeError:
        failed = "step %d (%s %s): QEMU has exited" % (n, word, arg)
    if failed:
        break

status = None
if failed is None:
    while proc.poll() is None and time.monotonic() < deadline:
        if not read_some(0.2):
            time.sleep(0.05)	# its output has ended: wait for the exit itself
    status = proc.poll()
    if status is None:
        failed = "QEMU still running after %g s" % limit
if failed:
    proc.kill()
    proc.wait()
    status = 124
out += proc.stdout.read() or b""	# QEMU has exited: the rest is in the pipe
with open(log, "wb") as f:
    f.write(out)
if failed:
    print("# console_script: %s" % failed)
sys.exit(status)
