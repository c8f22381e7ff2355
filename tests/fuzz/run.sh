#!/usr/bin/env bash
# run.sh - run one libFuzzer harness built by `make fuzz` for a while; used by `make fuzz`.
#
#   tests/fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#
# Fuzzes build/fuzz/fuzz_TARGET over build/fuzz/corpus-TARGET, which starts as a copy of the
# committed seeds in tests/fuzz/corpus/TARGET and keeps what earlier runs found (the committed
# seeds are never written). Crashing inputs are saved as build/fuzz/crashes/TARGET-crash-<sha1>
# (also leak-, timeout-, oom-). The full libFuzzer output goes to build/fuzz/TARGET.log; one
# summary line is printed. FUZZ_BUILD overrides the build directory (default build).
# Exit status: 0 if the run ended without a finding, 1 otherwise.
set -euo pipefail

t=${1:?usage: run.sh TARGET SECONDS [libFuzzer options...]}
secs=${2:?usage: run.sh TARGET SECONDS [libFuzzer options...]}
shift 2
b=${FUZZ_BUILD:-build}/fuzz
bin=$b/fuzz_$t
seeds=tests/fuzz/corpus/$t
corpus=$b/corpus-$t
log=$b/$t.log

# the device tree targets share a dictionary of tokens, property names and compatibles
dict=()
case $t in
fdt | sysdesc | platform_dt) dict=(-dict=tests/fuzz/dt.dict) ;;
esac

mkdir -p "$corpus" "$b/crashes"
if [[ -d $seeds ]]; then
	cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
fi

# UBSan findings with a stack trace, like ASan's
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
rc=0
"$bin" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$b/crashes/$t-" \
	"${dict[@]}" "$@" "$corpus" >"$log" 2>&1 || rc=$?

# libFuzzer's final stats: stat::number_of_executed_units, and the last "cov:" line
execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -n 1)
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/.*/cov \1, ft \2, corpus \3/p' <<<"$last")
printf 'fuzz %-12s %5ss  %s execs  %s\n' "$t" "$secs" "${execs:-?}" "${cov:-?}"

if ((rc)); then
	echo "fuzz $t: FAILED (exit $rc), full output in $log; reproduce with $bin <input>" >&2
	# the finding and the stack frames in cella's code (not libFuzzer's, libc's or ASan's)
	grep -E '^==[0-9]+==ERROR|^SUMMARY|broken promise|runtime error|^    #[0-9]+ .* in .*(src|tests)/' \
		"$log" | grep -v 'LLVMFuzzerTestOneInput\|fuzzer::' | head -n 30 >&2 || true
	grep -E 'Test unit written to' "$log" >&2 || true
	exit 1
fi
