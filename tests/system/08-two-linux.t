#!/bin/bash
# Consolidation: two unmodified Linux cells on one machine, each seeing only its own vCPUs and
# memory; each powers itself off and the machine stops when both have.
. "$(dirname "$0")/lib.sh"
plan 6
[ -f "$ROOT/guest-cache/vmlinuz" ] || { echo "Bail out! guest-cache missing (make guest)"; exit 1; }
cat >"$OUT/two.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ui {
			memory-size = <0x0 0x10000000>;
			vcpus = <2>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet cella.test";
			console;
		};
		services {
			memory-size = <0x0 0x10000000>;
			vcpus = <1>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet cella.test";
		};
	};
};
DTS
pack two "$OUT/two.dts"; ok $? "pack two Linux cells"
boot two 4 1G 300
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 when both cells have powered off (status $STATUS)"
has two '\[ui\] cella-test: uname=aarch64'; ok $? "cell ui runs Linux"
has two '\[ui\] cella-test: cpus=2' && has two '\[services\] cella-test: cpus=1'
ok $? "each cell sees exactly its own vCPUs (ui 2, services 1)"
has two "cell 'ui' stopped: powered off" && has two "cell 'services' stopped: powered off"
ok $? "each cell's power-off stops only that cell"
has two 'no cell left running; powering off'; ok $? "the machine stops after the last cell"
[ "$T_FAIL" -eq 0 ] || show two
finish
