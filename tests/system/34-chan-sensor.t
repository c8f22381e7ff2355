#!/bin/bash
# The sensor component (components/sensor, include/cella/sensor.h) publishes a reading every
# 100 ms on its channel and rings the reader, a test cell sleeping in WAIT on its doorbell. A
# second sensor whose channel is read-only for it refuses to publish (and its runtime mapped
# the channel read-only without trouble).
. "$(dirname "$0")/lib.sh"
plan 6
cat >"$OUT/chan-sensor.dts" <<'DTS'
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		reader: reader {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=chan-watch testcell.watch-ms=4000";
		};
		sensor: sensor {
			memory-size = <0x0 0x400000>;
			kernel = "sensor.bin";
			bootargs = "sensor.period-ms=100 sensor.report=5 sensor.count=20";
		};
		mute: mute {
			memory-size = <0x0 0x400000>;
			kernel = "sensor.bin";
		};
	};
	channels {
		sensor-reader {
			size = <0x1000>;
			ends = <&sensor &reader>;
			writers = <&sensor>;
		};
		mute-reader {
			size = <0x1000>;
			ends = <&mute &reader>;
			writers = <&reader>;
		};
	};
};
DTS
pack chan-sensor "$OUT/chan-sensor.dts" --search "$B/components"; ok $? "pack a sensor, a read-only sensor and a reader"
boot chan-sensor 4 512M 120
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has chan-sensor "^\\[sensor\\] sensor: publishing on channel 'sensor-reader' to 'reader' \\(slot 0, 4 KiB at 0x10000000\\) every 100 ms"
ok $? "the sensor finds its channel in the DTB (runtime chan_find)"
[ "$(count chan-sensor '^\[sensor\] sensor: reading (5|10|15|20): [0-9]+\.[0-9]{3} C \(notify OK, peer running\)')" -eq 4 ] &&
	has chan-sensor '^\[sensor\] sensor: done after 20 readings'
ok $? "20 readings, a line every 5, each rung to the running reader"
got=$(field chan-sensor '^\[reader\] testcell: chan-watch done' rings)
ok $([ "${got:-0}" -ge 15 ]; echo $?) "the reader's doorbell rang for the readings (${got:-no} rings)"
has chan-sensor "^\\[mute\\] sensor: channel '\\(the first\\)' is missing, too small or read-only here" &&
	has chan-sensor "cell 'mute' stopped: powered off" && ! has chan-sensor "\\[mute\\] cella-rt: unexpected"
ok $? "a sensor that only reads its channel refuses to publish and powers off"
[ "$T_FAIL" -eq 0 ] || show chan-sensor 60
finish
