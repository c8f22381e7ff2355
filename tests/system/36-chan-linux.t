#!/bin/bash
# Channels between stock Linux cells, on `make run`'s own system (examples/default.dts): 'ui'
# and 'services' (Debian's kernel as shipped, uio_pci_generic from its modules) and the native
# 'sensor'. From the shells, as the README walks a user through it: cella-chan lists both
# channels in ui; the sensor's readings arrive in ui through the read-only channel; a message
# goes from ui to services; a million messages each way between the two Linux user spaces with
# a checksum; ui's watcher sees services restart (operator's 'restart services'); the portal
# (cella-ctl) answers from Linux; and a read-only Linux end that writes faults alone.
. "$(dirname "$0")/lib.sh"
plan 12
[ -f "$ROOT/guest-cache/vmlinuz" ] || { echo "Bail out! guest-cache missing (make guest)"; exit 1; }
N=chan-linux
pack $N "$ROOT/examples/default.dts" --search "$B/components"; ok $? "pack examples/default.dts"

FOCUS_SERVICES='key 1d
expect 10 cella>
send focus services
send exit'
FOCUS_UI='key 1d
expect 10 cella>
send focus ui
send exit'
python3 "$ROOT/tests/system/console_script.py" "$OUT/$N.img" "$OUT/$N.log" 4 1G 900 <<SCRIPT
seen 300 \[ui\] cella-guest: busybox shell
seen 300 \[services\] cella-guest: busybox shell
sleep 2
send cella-chan list
seen 60 \[ui\] sensor-ui .* sensor running
seen 60 \[ui\] ui-services .* services running
expect 30 \[ui\] cell:[^\r\n]*#
send cella-chan sensor sensor-ui -n 2
expect 30 \[ui\] cella-chan: sensor-ui: reading [0-9]+: [0-9]+\.[0-9]+ C
expect 30 \[ui\] cella-chan: sensor-ui: reading [0-9]+: [0-9]+\.[0-9]+ C
send cella-chan send ui-services hello-from-ui
expect 30 \[ui\] cell:[^\r\n]*#
$FOCUS_SERVICES
send cella-chan recv ui-services
expect 30 \[services\] hello-from-ui
send cella-chan exchange ui-services -n 1000000 &
$FOCUS_UI
send cella-chan exchange ui-services -n 1000000
seen 300 \[ui\] .*cella-chan: exchange n=1000000 sent_sum=[0-9]+ recv_sum=[0-9]+ recv_n=1000000
seen 300 \[services\] .*cella-chan: exchange n=1000000 sent_sum=[0-9]+ recv_sum=[0-9]+ recv_n=1000000
sleep 1
send cella-chan watch ui-services &
sleep 2
key 1d
expect 10 cella>
send restart services
send exit
expect 60 \[ui\] cella-chan: ui-services: peer stopped
expect 300 \[ui\] cella-chan: ui-services: peer started
seen 300 \[services\] cella-guest: busybox shell
send kill %1
send cella-ctl list
expect 30 \[ui\] cell:[^\r\n]*#
send devmem 0x14000000 32 1
expect 30 cell 'ui' vCPU [0-9]: write to read-only memory at IPA 0x14000000
key 1d
expect 10 cella>
send stop sensor
send stop services
expect 60 no cell left running
SCRIPT
ok $? "the walkthrough's steps, as a user types them"
has $N '\[ui\] sensor-ui +0000:00:02.0 .* sensor running'; ok $? "ui lists sensor-ui (its peer, the sensor, runs)"
has $N '\[ui\] ui-services +0000:00:01.0 .* services running'; ok $? "ui lists ui-services"
[ "$(count $N '\[ui\] cella-chan: sensor-ui: reading [0-9]+: [0-9]+\.[0-9]+ C')" -ge 2 ]
ok $? "the sensor's readings arrive in ui"
has $N "\\[services\\] hello-from-ui"
ok $? "a message from ui arrives in services"
xsum() {	# xsum CELL FIELD: from CELL's whole line "cella-chan: exchange n=1000000 ..."
	grep -a "^\[$1\] " "$OUT/$N.log" |
		grep -ao 'cella-chan: exchange n=1000000 sent_sum=[0-9]* recv_sum=[0-9]* recv_n=1000000' |
		head -n 1 | sed -n "s/.* $2=\([0-9]*\).*/\1/p"
}
u_sent=$(xsum ui sent_sum)
u_recv=$(xsum ui recv_sum)
s_sent=$(xsum services sent_sum)
s_recv=$(xsum services recv_sum)
[ -n "$u_sent" ] && [ "$u_sent" = "$s_recv" ]; ok $? "a million messages ui -> services: checksums match ($u_sent)"
[ -n "$s_sent" ] && [ "$s_sent" = "$u_recv" ]; ok $? "a million messages services -> ui: checksums match ($s_sent)"
has $N '\[ui\] cella-chan: ui-services: peer stopped' && has $N '\[ui\] cella-chan: ui-services: peer started'
ok $? "ui sees services stop and start again (operator's restart)"
has $N '\[ui\] 1 +channel +read,notify +4 KiB at IPA 0x14000000'
ok $? "cella-ctl in ui lists its capabilities through the portal (the read-only sensor channel)"
has $N "cell 'ui' vCPU [0-9]: write to read-only memory at IPA 0x14000000"
ok $? "ui writing the read-only sensor channel faults"
has $N "cell 'ui' stopped: guest fault" && ! has $N "cell '(services|sensor)' stopped: guest fault"
ok $? "... and stops alone"
[ "$T_FAIL" -eq 0 ] || show $N 60
finish
