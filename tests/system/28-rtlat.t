#!/bin/bash
# The same component image bare metal and in a cell: rtlat (components/rtlat) on QEMU virt without
# EL2 (entered at EL1 by QEMU's -kernel at RAM base + text_offset, on QEMU's own device tree: the
# runtime sets up the real GICv3 and timer), then in a cell beside spin (components/spin, never
# idle, on its own pCPU). Each measures 200 virtual-timer interrupt latencies and prints its
# machine-readable report (bench/boot.sh reads it); hello runs bare metal too.
. "$(dirname "$0")/lib.sh"
plan 9
# cella ends its console lines with CR LF: the patterns on its logs have no $ anchor
DET="-icount shift=0,sleep=off -seed 1 -nic none -nographic"
# shellcheck disable=SC2086 # DET is a list of options
timeout 60 qemu-system-aarch64 -M virt,gic-version=3 -cpu max,pauth=off $DET -smp 1 -m 512M \
	-kernel "$B/components/rtlat.bin" -append "rtlat.samples=200" </dev/null >"$OUT/rtlat-bare.log" 2>&1
ok $? "rtlat bare metal: QEMU exits 0 (PSCI SYSTEM_OFF)"
has rtlat-bare "^rtlat: no cella cell: bare metal on 'linux,dummy-virt'" &&
	has rtlat-bare '^rtlat: 200 samples, latency min/median/p99/max = [0-9]+/[0-9]+/[0-9]+/[0-9]+ ns$'
ok $? "rtlat bare metal: knows it is not in a cell, one line for people"
has rtlat-bare '^RTLAT samples=200 min=[0-9]+ median=[0-9]+ p99=[0-9]+ max=[0-9]+ unit=ticks ipt=16$' &&
	has rtlat-bare '^RTLAT info cntfrq=62500000 missed=0 early=0$' &&
	has rtlat-bare '^RTLAT hist( [0-9]+:[0-9]+)+$' && has rtlat-bare '^RTLAT end hist-lines=1$'
ok $? "rtlat bare metal: every timer interrupt came, the machine-readable report is whole"
timeout 60 qemu-system-aarch64 -M virt,gic-version=3 -cpu max,pauth=off $DET -smp 1 -m 512M \
	-kernel "$B/components/hello.bin" </dev/null >"$OUT/hello-bare.log" 2>&1
ok $? "hello bare metal: QEMU exits 0"
has hello-bare '^hello: cella ABI probe: NOT_SUPPORTED \(-1\)' &&
	has hello-bare '^hello: slept 10 ms on the virtual timer'
ok $? "hello bare metal: no cella ABI, the timer interrupt comes"
cat >"$OUT/rtlat.dts" <<DTS
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		rtlat {
			memory-size = <0x0 0x400000>;
			cpus = <0>;
			kernel = "rtlat.bin";
			bootargs = "rtlat.samples=200 rtlat.rounds=2";
		};
		spin {
			memory-size = <0x0 0x400000>;
			cpus = <1>;
			kernel = "spin.bin";
		};
	};
};
DTS
pack rtlat "$OUT/rtlat.dts" --search "$B/components" --pcpus 2; ok $? "pack rtlat beside spin"
# spin never stops: the run is stopped once rtlat's cell has (or after 60 s)
timeout 60 qemu-system-aarch64 $QEMU_MACHINE $DET -smp 2 -m 512M -kernel "$OUT/rtlat.img" \
	</dev/null >"$OUT/rtlat.log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null && ! has rtlat "cell 'rtlat' stopped"; do
	sleep 0.2
done
sleep 1
kill "$pid" 2>/dev/null
wait "$pid"
[ "$(count rtlat '^\[rtlat\] rtlat: 200 samples, latency min/median/p99/max = [0-9/]+ ns')" -eq 2 ] &&
	has rtlat '^\[rtlat\] rtlat: 200 samples, .* ns, worst of all [0-9]+ ns' &&
	has rtlat "^\\[rtlat\\] rtlat: in cella cell 'rtlat'"
ok $? "rtlat in a cell: two rounds, the second with the worst of both"
has rtlat '^\[rtlat\] RTLAT samples=400 min=[0-9]+ median=[0-9]+ p99=[0-9]+ max=[0-9]+ unit=ticks ipt=16' &&
	has rtlat '^\[rtlat\] RTLAT info cntfrq=62500000 missed=0 early=0' &&
	has rtlat '^\[rtlat\] RTLAT end hist-lines=[0-9]+'
ok $? "rtlat in a cell: every timer interrupt came, the report covers both rounds"
has rtlat "cella: cell 'rtlat' stopped: powered off" && has rtlat "^\[spin\] spin: busy-looping" &&
	! has rtlat "cell 'spin' stopped"
ok $? "rtlat powers its cell off, spin keeps running"
[ "$T_FAIL" -eq 0 ] || { show rtlat-bare; show rtlat; }
finish
