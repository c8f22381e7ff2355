#!/bin/sh
# check-layers.sh - the include rules of docs/design.md "Layers", checked by `make check`:
#  - src/core and src/dev reach the architecture only through <arch/arch.h> (the hooks);
#  - src/dev uses of the core only mmio.h and virq.h;
#  - src/arch uses of the core only exit.h (the calls from arch into the core);
#  - src/lib and src/platform include nothing of core, dev or arch.
# Prints every offending line (file:line: include) and exits 1 if there is one.
cd "$(dirname "$0")/.." || exit 2
out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT
report() {	# report MESSAGE: the offending grep lines on stdin, to $out
	while IFS= read -r line; do
		echo "layers: $line: $1" >>"$out"
	done
}
incs() {	# incs DIR...: every #include line of the C and assembly sources under DIR
	grep -rnE '^[[:space:]]*#[[:space:]]*include' --include='*.c' --include='*.h' \
		--include='*.S' "$@" 2>/dev/null
}
incs src/core src/dev | grep -E '[<"](\.\./)*arch/' | grep -vE '<arch/arch\.h>' |
	report "the core and devices include the architecture only as <arch/arch.h>"
incs src/dev | grep -E '"(\.\./)*core/' | grep -vE '"core/(mmio|virq)\.h"' |
	report "a device uses only core/mmio.h and core/virq.h of the core"
incs src/arch | grep -E '"(\.\./)*core/' | grep -vE '"core/exit\.h"' |
	report "the architecture reaches the core only through core/exit.h"
incs src/lib src/platform | grep -E '[<"](\.\./)*(core|dev|arch)/' |
	report "lib and platform depend on nothing above them"
if [ -s "$out" ]; then
	cat "$out" >&2
	exit 1
fi
echo "layers: include rules hold"
