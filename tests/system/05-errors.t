#!/bin/bash
# Bad user input gets one clear message naming the problem and where, and a clean stop:
# QEMU exits (cella powers the machine off) instead of hanging.
. "$(dirname "$0")/lib.sh"
plan 32

cell() {	# cell NAME PROPS...: a one-cell description on stdout
	local name=$1
	shift
	printf '/dts-v1/;\n/ {\n\tcells {\n\t\t%s {\n' "$name"
	for p in "$@"; do printf '\t\t\t%s;\n' "$p"; done
	printf '\t\t};\n\t};\n};\n'
}
GOOD=('memory-size = <0x0 0x1000000>' 'vcpus = <1>' 'kernel = "testcell.bin"')

# -- caught on the build host by cella-pack --
cell c "${GOOD[@]:0:2}" 'kernel = "no-such-kernel"' >"$OUT/e-missing.dts"
pack e-missing "$OUT/e-missing.dts"
ok $([ $? -ne 0 ]; echo $?) "missing kernel: cella-pack fails"
grep -q "/cells/c: kernel 'no-such-kernel' not found" "$OUT/e-missing.pack.log"
ok $? "missing kernel: the message names the node and the file"

cell c 'vcpus = <1>' 'kernel = "testcell.bin"' >"$OUT/e-nomem.dts"
pack e-nomem "$OUT/e-nomem.dts"
ok $([ $? -ne 0 ]; echo $?) "no memory-size: cella-pack fails"
grep -q "/cells/c: no 'memory-size'" "$OUT/e-nomem.pack.log"; ok $? "no memory-size: message"

cell c 'memory-size = <0x0 0x1000000>' 'vcpus = <9>' 'kernel = "testcell.bin"' >"$OUT/e-vcpus.dts"
pack e-vcpus "$OUT/e-vcpus.dts"
grep -q "/cells/c: 'vcpus' is 9" "$OUT/e-vcpus.pack.log"; ok $? "9 vCPUs: refused with a message"

cell c "${GOOD[@]}" 'priority = <300>' >"$OUT/e-prio.dts"
pack e-prio "$OUT/e-prio.dts"
grep -q "/cells/c: 'priority' is 300; priorities run from 0 to 255" "$OUT/e-prio.pack.log"
ok $? "priority 300: refused with a message naming the node"

cell c "${GOOD[@]}" 'time-slice-us = <0>' >"$OUT/e-slice.dts"
pack e-slice "$OUT/e-slice.dts"
grep -q "/cells/c: 'time-slice-us' is 0; a time slice is from 100 to 1000000" "$OUT/e-slice.pack.log"
ok $? "time slice 0: refused with a message naming the node"

cat >"$OUT/e-overlap.dts" <<'DTS'
/dts-v1/;
/ { cells {
	a { memory-size = <0x0 0x4000000>; memory-pa = <0x0 0x60000000>; vcpus = <1>; kernel = "testcell.bin"; };
	b { memory-size = <0x0 0x4000000>; memory-pa = <0x0 0x62000000>; vcpus = <1>; kernel = "testcell.bin"; };
}; };
DTS
pack e-overlap "$OUT/e-overlap.dts"
grep -q "/cells/b: memory-pa .* overlaps /cells/a" "$OUT/e-overlap.pack.log"
ok $? "overlapping memory: refused with a message naming both cells"

vcpucap() {	# vcpucap NAME CAP-PROPS: 'b' holds a capability to a vCPU of the 2-vCPU cell 'a'
	printf '/dts-v1/;\n/ { cells {\n\ta: a { memory-size = <0x0 0x1000000>; vcpus = <2>; '
	printf 'kernel = "testcell.bin"; };\n\tb { memory-size = <0x0 0x1000000>; '
	printf 'kernel = "testcell.bin";\n\t\tcaps { peek { %s }; }; };\n}; };\n' "$2"
} >"$OUT/$1.dts"
vcpucap e-vcpuidx 'vcpu = <&a 2>; rights = "query";'
pack e-vcpuidx "$OUT/e-vcpuidx.dts"
[ $? -ne 0 ] && grep -q "/cells/b/caps/peek: 'vcpu' names vCPU 2 of /cells/a, which has 2 vCPUs" \
	"$OUT/e-vcpuidx.pack.log"
ok $? "a vCPU capability past its cell's vCPUs: cella-pack refuses it, naming the node"
vcpucap e-vcpuright 'vcpu = <&a 1>; rights = "query", "stop";'
pack e-vcpuright "$OUT/e-vcpuright.dts"
[ $? -ne 0 ] && grep -q "/cells/b/caps/peek: 'rights' is \"stop\"; expected \"query\", the only right of a vCPU" \
	"$OUT/e-vcpuright.pack.log"
ok $? "a vCPU capability with a right other than query: refused, naming the node"
vcpucap e-vcpuboth 'vcpu = <&a 1>; cell = <&a>; rights = "query";'
pack e-vcpuboth "$OUT/e-vcpuboth.dts"
[ $? -ne 0 ] && grep -q "/cells/b/caps/peek: has both 'cell' and 'vcpu'" "$OUT/e-vcpuboth.pack.log"
ok $? "a capability naming both a cell and a vCPU: refused, naming the node"
vcpucap e-vcpuok 'vcpu = <&a 1>; rights = "query";'
pack e-vcpuok "$OUT/e-vcpuok.dts"; ok $? "the same capability to vCPU 1 with query: packs"

# channels: every refusal of docs/system-description.md names the channel's node
chan() {	# chan NAME CHANNELS...: cells a, b (and c without channels) and the channel nodes
	local name=$1
	shift
	printf '/dts-v1/;\n/ { cells {\n'
	for c in a b c; do
		printf '\t%s: %s { memory-size = <0x0 0x1000000>; kernel = "testcell.bin"; };\n' $c $c
	done
	printf '}; channels {\n'
	for ch in "$@"; do printf '\t%s\n' "$ch"; done
	printf '}; };\n'
} >"$OUT/$1.dts"
refused() {	# refused NAME MESSAGE WHAT: packing NAME fails with MESSAGE in its log
	pack "$1" "$OUT/$1.dts"
	[ $? -ne 0 ] && grep -qF -- "$2" "$OUT/$1.pack.log"
	ok $? "$3: refused, naming the node"
}
chan e-ch-ok 'x { size = <0x10000>; ends = <&a &b>; writers = <&a>; };'
pack e-ch-ok "$OUT/e-ch-ok.dts"; ok $? "a channel between two cells: packs"
chan e-ch-notcell 'x { size = <0x1000>; ends = <&a 7>; };'
refused e-ch-notcell "/channels/x: 'ends' does not name a node under /cells" "an end that is not a cell"
chan e-ch-same 'x { size = <0x1000>; ends = <&a &a>; };'
refused e-ch-same "/channels/x: both ends are /cells/a; a channel joins two cells" "the same cell at both ends"
chan e-ch-zero 'x { size = <0>; ends = <&a &b>; };'
refused e-ch-zero "/channels/x: 'size' must be a multiple of 4 KiB from 4 KiB to 64 MiB" "size 0"
chan e-ch-big 'x { size = <0x4001000>; ends = <&a &b>; };'
refused e-ch-big "/channels/x: 'size' must be a multiple of 4 KiB from 4 KiB to 64 MiB" "size over 64 MiB"
chan e-ch-odd 'x { size = <0x1800>; ends = <&a &b>; };'
refused e-ch-odd "/channels/x: 'size' must be a multiple of 4 KiB" "size not a 4 KiB multiple"
chans=()
for i in 0 1 2 3 4 5 6 7 8; do chans+=("x$i { size = <0x1000>; ends = <&a &b>; };"); done
chan e-ch-many "${chans[@]}"
refused e-ch-many "/channels/x8: /cells/a is already an end of 8 channels, the most a cell can be" \
	"a ninth channel for one cell"
chan e-ch-writer 'x { size = <0x1000>; ends = <&a &b>; writers = <&c>; };'
refused e-ch-writer "/channels/x: 'writers' names a node that is not one of its 'ends'" "a writer that is no end"
chan e-ch-noends 'x { size = <0x1000>; };'
refused e-ch-noends "/channels/x: needs 'ends = <&cell &cell>', its two cells" "no ends"

# -- caught by cella at boot: it must print the problem and power off cleanly --
printf 'this is not a kernel' >"$OUT/corrupt.bin"
head -c 65536 /dev/urandom >>"$OUT/corrupt.bin"
cell c "${GOOD[@]:0:2}" 'kernel = "corrupt.bin"' >"$OUT/e-corrupt.dts"
pack e-corrupt "$OUT/e-corrupt.dts" --unchecked; ok $? "corrupt kernel: packed unchecked"
boot e-corrupt 1 512M 30
has e-corrupt "cella: error: /cells/c: kernel 'corrupt.bin' is not a usable arm64 Image" &&
	has e-corrupt 'cannot start the system; powering off' && [ "$STATUS" -eq 0 ]
ok $? "corrupt kernel: cella names the cell and image and powers off (status $STATUS)"

# a kernel whose Image header claims it needs nearly 2^64 bytes once loaded
cp "$B/guests/testcell.bin" "$OUT/huge.bin"
printf '\x00\xf0\xff\xff\xff\xff\xff\xff' | dd of="$OUT/huge.bin" bs=1 seek=16 conv=notrunc 2>/dev/null
cell c "${GOOD[@]:0:2}" 'kernel = "huge.bin"' >"$OUT/e-huge.dts"
pack e-huge "$OUT/e-huge.dts" --unchecked
boot e-huge 1 512M 30
has e-huge "cella: error: /cells/c: memory-size 16 MiB is smaller than kernel 'huge.bin'" &&
	[ "$STATUS" -eq 0 ]
ok $? "kernel claiming an enormous image_size: refused at boot (status $STATUS)"

# cella-pack --guest-dtb: the device tree cella gives a cell, for the host to read; --in-place
# with a cell that does not exist is refused
"$B/cella-pack" -o "$OUT/e-pcpus-cell.dtb" --guest-dtb nosuch --description "$OUT/e-huge.dtb" \
	--search "$B/guests" 2>"$OUT/e-gdtb.err"
[ $? -ne 0 ] && grep -q "guest-dtb nosuch: no such cell" "$OUT/e-gdtb.err"
ok $? "cella-pack --guest-dtb refuses an unknown cell"
cell c 'memory-size = <0x0 0x1000000>' 'vcpus = <2>' 'kernel = "testcell.bin"' \
	'bootargs = "x=1"' >"$OUT/e-gdtb.dts"
dtc -q -I dts -O dtb -o "$OUT/e-gdtb.dtb" "$OUT/e-gdtb.dts" &&
	"$B/cella-pack" -o "$OUT/e-gdtb-cell.dtb" --guest-dtb c --description "$OUT/e-gdtb.dtb" \
		--search "$B/guests" && dtc -q -I dtb -O dts "$OUT/e-gdtb-cell.dtb" >"$OUT/e-gdtb-cell.dts" &&
	grep -q 'model = "cella,c"' "$OUT/e-gdtb-cell.dts" && grep -q 'bootargs = "x=1"' "$OUT/e-gdtb-cell.dts" &&
	[ "$(grep -c 'device_type = "cpu"' "$OUT/e-gdtb-cell.dts")" -eq 2 ] &&
	grep -q 'reg = <0x00 0x40000000 0x00 0x1000000>' "$OUT/e-gdtb-cell.dts"
ok $? "cella-pack --guest-dtb writes the cell's device tree (its name, bootargs, 2 CPUs, 16 MiB)"
"$B/cella-pack" -o "$OUT/e-x.img" --cella "$B/cella.bin" --description "$OUT/e-gdtb.dtb" \
	--search "$B/guests" --in-place nosuch 2>"$OUT/e-inplace.err"
[ $? -ne 0 ] && grep -q "in-place nosuch: no such cell" "$OUT/e-inplace.err"
ok $? "cella-pack --in-place refuses an unknown cell"

cell c 'memory-size = <0x0 0x1000000>' 'vcpus = <2>' 'cpus = <0 3>' 'kernel = "testcell.bin"' \
	>"$OUT/e-pcpus.dts"
pack e-pcpus "$OUT/e-pcpus.dts"; ok $? "pCPU 3: packs (the build host cannot know the pCPUs)"
boot e-pcpus 2 512M 30
has e-pcpus "cella: error: system description: /cells/c: 'cpus' names pCPU 3, but the machine has 2 pCPUs" &&
	[ "$STATUS" -eq 0 ]
ok $? "a pCPU the machine lacks: refused at boot with a message (status $STATUS)"

cell c 'memory-size = <0x1 0x0>' 'vcpus = <1>' 'kernel = "testcell.bin"' >"$OUT/e-big.dts"
pack e-big "$OUT/e-big.dts"; ok $? "4 GiB cell: packs"
boot e-big 1 1G 30
has e-big "cella: error: /cells/c: memory-size is 4096 MiB but only [0-9]+ MiB of RAM is free" &&
	[ "$STATUS" -eq 0 ]
ok $? "oversized memory: refused at boot with a message (status $STATUS)"

cell c 'memory-size = <0x0 0x1000000>' 'memory-pa = <0x0 0x40000000>' 'vcpus = <1>' \
	'kernel = "testcell.bin"' >"$OUT/e-pa.dts"
pack e-pa "$OUT/e-pa.dts"
boot e-pa 1 512M 30
has e-pa "cella: error: /cells/c: memory-pa \[0x40000000, 0x41000000\) overlaps cella" &&
	[ "$STATUS" -eq 0 ]
ok $? "memory over cella's own image: refused at boot (status $STATUS)"
[ "$T_FAIL" -eq 0 ] || { show e-corrupt 10; show e-pcpus 10; show e-big 10; show e-pa 10; }
finish
