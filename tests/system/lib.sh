# lib.sh - helpers for cella's system tests: build a system image from a DTS, boot it in QEMU
# with a timeout, and check the console output. Each test prints TAP for `prove`.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$ROOT/build
OUT=$B/systest
mkdir -p "$OUT"
QEMU_MACHINE="-M virt,virtualization=on,gic-version=3 -cpu max,pauth-impdef=on -nic none"
T_NUM=0
T_FAIL=0

plan() { echo "1..$1"; }

ok() {	# ok COND_STATUS DESCRIPTION
	T_NUM=$((T_NUM + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_NUM - $2"
	else
		echo "not ok $T_NUM - $2"
		T_FAIL=$((T_FAIL + 1))
	fi
}

# pack NAME DTS [cella-pack options...]: compile DTS and pack build/systest/NAME.img
pack() {
	local name=$1 dts=$2
	shift 2
	dtc -q -I dts -O dtb -o "$OUT/$name.dtb" "$dts" &&
	"$B/cella-pack" -o "$OUT/$name.img" --cella "$B/cella.bin" --description "$OUT/$name.dtb" \
		--search "$B/guests" --search "$ROOT/guest-cache" --search "$OUT" "$@" \
		>"$OUT/$name.pack.log" 2>&1
}

# ticker_beside NAME CELL MODE VCPUS: build/systest/NAME.dts with a well-behaved 'ticker' cell
# (30 ticks) and a test cell CELL running testcell.mode=MODE with VCPUS vCPUs
ticker_beside() {
	cat >"$OUT/$1.dts" <<DTS
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		ticker {
			memory-size = <0x0 0x1000000>;
			vcpus = <1>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=30";
		};
		$2 {
			memory-size = <0x0 0x1000000>;
			vcpus = <$4>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=$3";
		};
	};
};
DTS
}

# boot NAME SMP MEM TIMEOUT: run build/systest/NAME.img; log in build/systest/NAME.log;
# sets STATUS to QEMU's exit status (124 on timeout)
boot() {
	local name=$1 smp=$2 mem=$3 secs=$4
	timeout "$secs" qemu-system-aarch64 $QEMU_MACHINE -smp "$smp" -m "$mem" -nographic \
		-kernel "$OUT/$name.img" </dev/null >"$OUT/$name.log" 2>&1
	STATUS=$?
}

# has NAME PATTERN: the log of NAME contains the extended regex PATTERN
has() { grep -Eq -- "$2" "$OUT/$1.log"; }

# count NAME PATTERN: number of log lines matching PATTERN
count() { grep -Ec -- "$2" "$OUT/$1.log"; }

# none NAME PATTERN PROOF DESCRIPTION: one TAP check that the log of NAME has no line matching
# PATTERN *and* has a line matching PROOF (what the run must have printed to have run at all, e.g.
# its DONE line). An absence alone passes on an empty log, i.e. when QEMU never started.
none() {
	local c
	c=$(count "$1" "$2")
	if has "$1" "$3"; then
		ok $([ "$c" -eq 0 ]; echo $?) "$4 ($c matching lines)"
	else
		ok 1 "$4 (the run never printed /$3/)"
	fi
}

# field NAME PATTERN KEY: the number after " KEY=" on the first log line matching PATTERN (empty
# if none), e.g. field run '\[a\] SPIN done' iterations
field() { grep -E -m 1 -- "$2" "$OUT/$1.log" | sed -n "s/.* $3=\([0-9][0-9]*\).*/\1/p"; }

# line_of NAME PATTERN [AFTER]: number of the first line matching PATTERN (after line AFTER if
# given; 0 if none)
line_of() {
	local n
	n=$(grep -En -- "$2" "$OUT/$1.log" | awk -F: -v a="${3:-0}" '$1 > a { print $1; exit }')
	echo "${n:-0}"
}

# show NAME: print the log as TAP diagnostics (on failure)
show() { sed 's/^/# /' "$OUT/$1.log" | tail -n "${2:-40}"; }

finish() { [ "$T_FAIL" -eq 0 ]; exit $?; }
