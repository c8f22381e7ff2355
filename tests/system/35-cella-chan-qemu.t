#!/bin/bash
# cella-chan and cella-ctl (tools/guest/) on native Linux, no cella: QEMU's ivshmem-plain as a
# channel (two processes as its two ends), QEMU edu devices as doorbells through
# uio_pci_generic: list, send/recv, a million-message exchange each way with checksums,
# ping/pong, stream, the edu-ping and pipe-ping baselines, cella-ctl without a portal.
. "$(dirname "$0")/lib.sh"
G=$ROOT/guest-cache
[ -f "$G/initrd.img" ] && [ -f "$G/vmlinuz" ] ||
	{ echo "1..0 # SKIP guest-cache missing (make test fetches it)"; exit 1; }
exec python3 "$ROOT/tests/system/chan_native.py" "$G" "$OUT/chan-native.shm" "$OUT/chan-native.log" 300
