#!/usr/bin/env bash
# coverage.sh - line and branch coverage of the fuzzed modules by a fuzz corpus.
#
#   tests/fuzz/coverage.sh [TARGET...]        (default: every harness; run from the tree's top)
#
# Builds each harness again with clang source-based coverage (build/fuzz/cov/), replays
# build/fuzz/corpus-TARGET (what `make fuzz` grew; the committed seeds if it does not exist) and
# prints llvm-cov's summary for the module sources the harness links, not the harness itself.
# For a line-by-line view:  llvm-cov show build/fuzz/cov/fuzz_T -instr-profile=build/fuzz/cov/T.profdata SRC
set -euo pipefail

targets=("$@")
((${#targets[@]})) || targets=(fdt sysdesc sysimg platform_dt vgic hypercall vpci)
b=${FUZZ_BUILD:-build}/fuzz
mkdir -p "$b/cov"

srcs() {
	case $1 in
	fdt) echo src/lib/fdt.c ;;
	sysdesc) echo src/core/sysdesc.c src/lib/fdt.c src/lib/printf.c ;;
	sysimg) echo src/core/sysimg.c src/lib/printf.c ;;
	platform_dt) echo src/core/platform_dt.c src/lib/fdt.c src/lib/printf.c ;;
	vgic) echo src/arch/aarch64/vgic_model.c ;;
	hypercall) echo src/core/hypercall.c src/core/cap.c ;;
	vpci) echo src/dev/vpci.c src/core/mmio.c ;;
	*) echo "coverage.sh: unknown target $1" >&2; exit 2 ;;
	esac
}

for t in "${targets[@]}"; do
	read -r -a mod <<<"$(srcs "$t")"
	bin=$b/cov/fuzz_$t
	corpus=$b/corpus-$t
	[[ -d $corpus ]] || corpus=tests/fuzz/corpus/$t
	# the module sources plus err.c (printf.c is in the list where the harness needs it)
	all=("${mod[@]}" src/lib/err.c)
	clang -std=c11 -D_DEFAULT_SOURCE -g -O1 -Isrc -Iinclude -fsanitize=fuzzer \
		-fprofile-instr-generate -fcoverage-mapping \
		"tests/fuzz/fuzz_$t.c" $(printf '%s\n' "${all[@]}" | sort -u) -o "$bin"
	rm -f "$b/cov/$t".*.profraw
	LLVM_PROFILE_FILE="$b/cov/$t.%p.profraw" "$bin" -runs=0 "$corpus" >/dev/null 2>&1
	llvm-profdata merge -sparse "$b/cov/$t".*.profraw -o "$b/cov/$t.profdata"
	echo "== $t ($(find "$corpus" -type f | wc -l) inputs from $corpus)"
	llvm-cov report "$bin" -instr-profile="$b/cov/$t.profdata" "${mod[@]}" |
		awk 'NF == 13 && $1 != "Filename" {
			n = split($1, p, "/")
			printf "  %-16s lines %7s  branches %7s  regions %7s  functions %7s\n",
				p[n], $10, $13, $4, $7 }'
done
