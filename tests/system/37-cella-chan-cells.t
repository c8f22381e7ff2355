#!/bin/bash
# cella-chan and cella-ctl (tools/guest/) between two Linux cells on cella, 'ui' and 'services',
# joined by a read-write channel, with the native sensor publishing to ui on a channel ui only
# reads: list, send/recv, watching the sensor's page, a refused write, ping/pong, a
# million-message exchange each way; cella-ctl in ui (a cell capability for services with the
# rights query and restart, a vCPU capability) restarts services, and ui's watch sees the peer
# stop and start; messages flow again after it.
. "$(dirname "$0")/lib.sh"
[ -f "$ROOT/guest-cache/initrd.img" ] || { echo "1..0 # SKIP guest-cache missing (make test fetches it)"; exit 1; }
cat >"$OUT/chan-cells.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ui: ui {
			memory-size = <0x0 0x10000000>;
			vcpus = <2>;
			cpus = <0 1>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet";
			console;
			caps {
				services-control {
					cell = <&services>;
					rights = "query", "restart";
					slot = <8>;
				};
				services-cpu1 {
					vcpu = <&services 1>;
					rights = "query";
					slot = <9>;
				};
			};
		};
		services: services {
			memory-size = <0x0 0x10000000>;
			vcpus = <2>;
			cpus = <2 3>;
			kernel = "vmlinuz";
			initrd = "initrd.img";
			bootargs = "console=ttyAMA0 quiet";
		};
		sensor: sensor {
			memory-size = <0x0 0x400000>;
			vcpus = <1>;
			cpus = <3>;
			priority = <150>;
			kernel = "sensor.bin";
		};
	};
	channels {
		ui-services {
			size = <0x10000>;
			ends = <&ui &services>;
		};
		sensor-ui {
			size = <0x1000>;
			ends = <&sensor &ui>;
			writers = <&sensor>;
		};
	};
};
DTS
pack chan-cells "$OUT/chan-cells.dts" --search "$B/components" ||
	{ echo "1..1"; echo "not ok 1 - pack the two Linux cells and the sensor"; sed 's/^/# /' "$OUT/chan-cells.pack.log"; exit 1; }
exec python3 "$ROOT/tests/system/chan_cells.py" "$OUT/chan-cells.img" "$OUT/chan-cells.log" 600
