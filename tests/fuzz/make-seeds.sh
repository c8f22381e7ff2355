#!/usr/bin/env bash
# make-seeds.sh - regenerate the fuzz seed corpora in tests/fuzz/corpus/<target>/ from sources.
#
#   tests/fuzz/make-seeds.sh        (from the top of the tree, after `make build/cella-pack
#                                    build/cella.bin`; needs dtc and qemu-system-aarch64)
#
# Seeds are small on purpose (each < 64 KiB, all together far below 1 MiB):
#   fdt, platform_dt  the compiled examples/default.dts and bench/bench-2.dts, QEMU virt's own
#                     DTB (dumpdtb, repacked by dtc to drop its 1 MiB of padding) and
#                     tests/fuzz/seeds/platform-soc.dts (buses with "ranges"); fdt also gets a
#                     version 16 blob (no size_dt_struct)
#   sysdesc           one byte of pCPU count, then a description DTB: default, bench-2,
#                     two-linux, tests/fuzz/seeds/sysdesc-{full,limits,channels}.dts, and QEMU's DTB
#                     (no /cells)
#   sysimg            the payload cella-pack writes for default.dts with tiny fake modules, cut at
#                     the end of its module table: a whole payload is at least 64 KiB (the DTB
#                     sits at a SYSIMG_ALIGN offset) and fuzz_sysimg.c pads an input with zeros up
#                     to the total_size it claims; plus two arm64 Image headers (cella's own, and
#                     the fake kernel) for arm64_image_check
#   vgic              operation scripts in the format fuzz_vgic.c reads (see there)
#   vpci              access scripts in the format fuzz_vpci.c reads (see there)
set -euo pipefail
cd "$(dirname "$0")/../.."

out=tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dtb() { dtc -q -I dts -O dtb "$@"; }
# le64 N: N as 8 little-endian bytes on stdout
le64() { printf '%016x' "$1" | sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/\8\7\6\5\4\3\2\1/' | xxd -r -p; }

# corpus/hypercall is written by hand (README.md): keep it
rm -rf "$out"/{fdt,sysdesc,sysimg,platform_dt,vgic,vpci}
mkdir -p "$out"/{fdt,sysdesc,sysimg,platform_dt,vgic,vpci}

# ---- device trees ----
dtb -o "$tmp/default.dtb" examples/default.dts
dtb -o "$tmp/bench-2.dtb" bench/bench-2.dts
dtb -o "$tmp/two-linux.dtb" examples/two-linux.dts
dtb -o "$tmp/sysdesc-full.dtb" tests/fuzz/seeds/sysdesc-full.dts
dtb -o "$tmp/sysdesc-limits.dtb" tests/fuzz/seeds/sysdesc-limits.dts
dtb -o "$tmp/sysdesc-channels.dtb" tests/fuzz/seeds/sysdesc-channels.dts
dtb -o "$tmp/platform-soc.dtb" tests/fuzz/seeds/platform-soc.dts
dtb -V 16 -o "$tmp/default-v16.dtb" examples/default.dts
qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb="$tmp/qemu-raw.dtb" \
	-cpu max -nic none -smp 2 -m 512M -nographic >/dev/null 2>&1
dtc -q -I dtb -O dtb -o "$tmp/qemu-virt.dtb" "$tmp/qemu-raw.dtb"

for f in default bench-2 qemu-virt platform-soc default-v16; do
	cp "$tmp/$f.dtb" "$out/fdt/$f.dtb"
done
for f in default bench-2 qemu-virt platform-soc; do
	cp "$tmp/$f.dtb" "$out/platform_dt/$f.dtb"
done
# sysdesc: the first byte is nr_pcpus
for f in default:2 bench-2:8 two-linux:4 sysdesc-full:4 sysdesc-limits:16 sysdesc-channels:4 \
	qemu-virt:8; do
	{ printf "\\x$(printf %02x "${f#*:}")"; cat "$tmp/${f%%:*}.dtb"; } >"$out/sysdesc/${f%%:*}.bin"
done

# ---- system image payload ----
# a fake arm64 Image: header only (text_offset 0, image_size 64 KiB, magic "ARM\x64" at 56)
{
	head -c 8 /dev/zero
	le64 0
	le64 0x10000
	le64 0xa
	head -c 24 /dev/zero
	printf 'ARMd'
	head -c 4 /dev/zero
} >"$tmp/vmlinuz"
printf 'tiny initrd\n' >"$tmp/initrd.img"
build/cella-pack -o "$tmp/sys.img" --cella build/cella.bin --description "$tmp/default.dtb" \
	--pcpus 2 --search "$tmp"
# the payload starts at align_up(cella's image_size (le64 at offset 16), SYSIMG_ALIGN)
isize=$(od -An -t u8 -j 16 -N 8 build/cella.bin | tr -d ' ')
poff=$(((isize + 0xffff) & ~0xffff))
tail -c +"$((poff + 1))" "$tmp/sys.img" >"$tmp/payload"
nr=$(od -An -t u4 -j 12 -N 4 "$tmp/payload" | tr -d ' ')
head -c "$((40 + 80 * nr))" "$tmp/payload" >"$out/sysimg/default-payload-head.bin"
cp "$tmp/vmlinuz" "$out/sysimg/fake-kernel.bin"
head -c 64 build/cella.bin >"$out/sysimg/cella-image-header.bin"

# ---- vgic operation scripts (format: the top of fuzz_vgic.c) ----
dist() { printf "\\x00\\x$1\\x$(printf %02x $(($2 & 0xff)))\\x$(printf %02x $(($2 >> 8)))\\x$3\\x$4"; le64 "$5"; }
redist() { printf "\\x01\\x$1\\x$2\\x$(printf %02x $(($3 & 0xff)))\\x$(printf %02x $(($3 >> 8)))\\x$4\\x$5"; le64 "$6"; }
{
	# what Linux does on 2 vCPUs (default MPIDRs), then some traffic
	printf '\x02\x00'
	dist 00 0x0000 02 01 2					# GICD_CTLR.EnableGrp1NS
	for o in 0x84 0x88 0x8c; do dist 00 $o 02 01 0xffffffff; done	# IGROUPR1..3
	for o in 0x104 0x108 0x10c; do dist 00 $o 02 01 0xffffffff; done	# ISENABLER1..3
	for o in 0x420 0x424 0x428; do dist 00 $o 02 01 0xa0a0a0a0; done	# IPRIORITYR, SPIs 32..43
	dist 00 0x6108 03 01 1					# IROUTER SPI 33 -> vCPU 1
	for f in 00 01; do
		redist 00 $f 0x14 02 01 0			# GICR_WAKER: awake
		redist 00 $f 0x80 02 05 0xffffffff		# SGI_base IGROUPR0
		redist 00 $f 0x100 02 05 0xffffffff		# SGI_base ISENABLER0
		for o in 0x400 0x404 0x408 0x40c 0x410 0x414 0x418 0x41c; do
			redist 00 $f $o 02 05 0xa0a0a0a0	# SGI_base IPRIORITYR0..7
		done
	done
	printf '\x05\x01'; le64 0x01000001			# vCPU 1: SGI 1 to vCPU 0
	printf '\x05\x01'; le64 0x02000001			# vCPU 1: SGI 2 to vCPU 0
	printf '\x02\x00\x1b\x01'				# PPI 27 (vtimer) of vCPU 0 high
	printf '\x02\x00\x21\x01\x02\x00\x28\x01'		# SPIs 33 and 40 high
	printf '\x03\x00\x04\x00\x04\x00'			# next pending, flush twice on vCPU 0
	printf '\x06\x00\x00\x02\x06\x00\x00\x00'		# LR 0 of vCPU 0: active, then done
	printf '\x03\x01\x04\x01\x03\x00'
} >"$out/vgic/linux-init.bin"
{
	# 8 vCPUs in two clusters, MPIDRs from the input (aff0 aff1 aff2 aff3 junk)
	printf '\x08\x01'
	for i in 0 1 2 3 4 5 6 7; do printf "\\x0$((i % 4))\\x0$((i / 4))\\x00\\x00\\x80"; done
	dist 00 0x0000 02 01 2					# GICD_CTLR.EnableGrp1NS
	dist 00 0x6108 03 01 0x101				# IROUTER SPI 33 -> Aff1 1 Aff0 1: vCPU 5
	dist 00 0x6110 03 01 0x80000000				# IROUTER SPI 34: IRM
	redist 00 07 0x08 03 00 0				# GICR_TYPER of vCPU 7, 8 bytes
	redist 03 03 0x14 02 00 0				# GICR_WAKER of vCPU 3
	printf '\x05\x03'; le64 $((0x05000000 | 1 << 40))	# SGI 5 to all but vCPU 3
	printf '\x05\x00'; le64 $((0x06000003 | 1 << 16))	# SGI 6 to Aff1 1, Aff0 0 and 1
	printf '\x03\x05\x03\x04'
} >"$out/vgic/eight-vcpus.bin"
{
	# the virtual timer's round trip on vCPU 0 of 2 (vgic_hw_take), alone and not alone
	printf '\x02\x00'
	dist 00 0x0000 02 01 2					# GICD_CTLR.EnableGrp1NS
	dist 00 0x0104 02 01 0xffffffff				# ISENABLER1: SPIs 32..63
	dist 00 0x0084 02 01 0xffffffff				# IGROUPR1
	redist 00 00 0x80 02 05 0xffffffff			# SGI_base IGROUPR0
	redist 00 00 0x100 02 05 0x08000000			# SGI_base ISENABLER0: PPI 27
	for i in 1 2; do
		printf '\x07\x00\x1b'			# inject hw: taken into LR 0
		printf '\x06\x00\x00\x02\x06\x00\x00\x00'	# LR 0: active, then done
	done
	printf '\x02\x00\x28\x01'				# SPI 40 high (vCPU 0)
	printf '\x07\x00\x1b\x04\x00\x04\x00'		# inject hw: not alone; flush twice
	printf '\x09\x00\x01\x07\x01\x1b\x03\x00'	# park vCPU 0; vCPU 1's timer
} >"$out/vgic/vtimer.bin"

# ---- vpci access scripts (format: the top of fuzz_vpci.c) ----
# le N V: V as N little-endian bytes
le() { printf "%0$(($1 * 2))x" "$2" | fold -w2 | tac | tr -d '\n' | xxd -r -p; }
ecam() { printf '\x00'; le 3 "$1"; le 1 "$2"; le 1 "$3"; le 4 "$4"; }		# off size dir val
bar0() { printf '\x01'; le 1 "$1"; le 2 "$2"; le 1 "$3"; le 1 "$4"; le 8 "$5"; }	# vcpu off size dir val
ring() { printf '\x02'; le 1 "$1"; le 1 "$2"; }
cfg() { echo $(($1 << 15 | $2)); }	# cfg DEV REG: ECAM offset of function 0
{
	# Linux probing two channels (4 KiB, 12 KiB), then uio_pci_generic and a doorbell
	printf '\x02\x00\x82\x00\x00\x00\x00\x00\x00'
	for d in 0 1 2 3; do
		ecam "$(cfg $d 0)" 2 0 0; ecam "$(cfg $d 0xe)" 1 0 0	# vendor, header type
	done
	for r in 0x10 0x18 0x1c; do	# BAR sizing: save, all ones, read, restore
		ecam "$(cfg 2 $r)" 4 0 0; ecam "$(cfg 2 $r)" 4 1 0xffffffff
		ecam "$(cfg 2 $r)" 4 0 0; ecam "$(cfg 2 $r)" 4 1 0x10004000
	done
	ecam "$(cfg 2 4)" 2 1 6						# Command: MEMORY | MASTER
	ecam "$(cfg 2 4)" 2 1 0x406; ecam "$(cfg 2 4)" 2 1 6		# intx mask check
	bar0 0 $((2 * 4096)) 4 1 3					# IntrMask
	ring 1 1
	ecam "$(cfg 2 4)" 4 0 0						# Status.INTERRUPT
	ecam "$(cfg 2 5)" 1 1 4; ecam "$(cfg 2 5)" 1 1 0		# uio: byte 5
	bar0 0 $((2 * 4096 + 4)) 4 0 0					# IntrStatus: read-to-clear
	bar0 1 $((1 * 4096 + 12)) 4 1 1					# Doorbell
	printf '\x04\x01'; bar0 0 $((1 * 4096 + 16)) 4 0 0		# PEER_STATE
} >"$out/vpci/linux-probe.bin"
{
	# the portal on two vCPUs: arguments, a call, its results, halves, bad vCPU
	printf '\x01\x00\x00\x00\x00\x00\x00\x00\x00'
	for v in 0 3; do
		for n in 0 1 2 3 4 5 6; do bar0 $v $((8 * n)) 8 1 $((v << 8 | n)); done
		bar0 $v 0x38 8 1 0
		for n in 0 1 2 3 4 5 6; do bar0 $v $((8 * n)) 8 0 0; done
	done
	bar0 3 4 4 1 0xffffffff; bar0 3 0 4 0 0; bar0 3 0x38 4 1 0; bar0 3 0x3c 4 1 0
	bar0 8 0 8 0 0; bar0 9 0x38 8 1 0; bar0 0 2 8 0 0; bar0 0 0xffc 8 0 0
} >"$out/vpci/portal.bin"
{
	# eight channels (9: refused first) of every size kind; hostile accesses, reset with lines high
	printf '\x09\x00\x0e\xff\x81\x05\x8f\x01\x0d'
	for c in 0 1 2 3 4 5 6 7; do bar0 0 $(((c + 1) * 4096)) 4 1 0xffffffff; ring $c 3; done
	ecam "$(cfg 8 4)" 2 1 0x400; ecam "$(cfg 9 4)" 2 1 0; ecam $(($(cfg 1 0) | 0x1000)) 4 0 0
	ecam 0xffffc 4 0 0; ecam 0xffffe 4 0 0; ecam 0x100000 1 0 0; ecam 3 2 0 0; ecam 0 8 0 0
	ecam "$(cfg 3 0x18)" 1 1 0xff; ecam "$(cfg 3 0x1b)" 1 1 0x5a; ecam "$(cfg 3 0x1c)" 4 1 7
	bar0 0 $((9 * 4096)) 4 0 0; bar0 0 $((8 * 4096 + 0xffc)) 4 0 0; bar0 0 $((4096 + 2)) 4 0 0
	bar0 0 $((4096 + 8)) 2 1 0; bar0 0 $((4096 + 0x800)) 4 1 1
	printf '\x03'; ring 7 1; ring 9 1; printf '\x03'
} >"$out/vpci/hostile.bin"

du -ab "$out" | sort -k2
