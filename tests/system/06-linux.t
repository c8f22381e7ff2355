#!/bin/bash
# One Linux cell alone (examples/one-linux.dts, build/default.img): Debian's unmodified arm64 cloud kernel in a cell with 2 vCPUs on a
# 4-pCPU machine, reaching a busybox shell; `poweroff` there makes QEMU exit 0.
. "$(dirname "$0")/lib.sh"
[ -f "$B/default.img" ] || { echo "1..0 # SKIP build/default.img missing (make test builds it)"; exit 1; }
exec python3 "$ROOT/tests/system/linux_shell.py" "$B/default.img" "$OUT/linux.log" 4 1G 300
