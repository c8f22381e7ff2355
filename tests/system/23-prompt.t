#!/bin/bash
# The operator prompt, driven through QEMU's stdin: Ctrl-] opens it; list shows every cell with
# its state, vCPUs, memory and restarts; restart and stop act on a cell (the others never
# notice); focus moves the keyboard; unknown commands get the help line. With
# operator-prompt = "off" in /cells, Ctrl-] is an ordinary byte and no prompt appears.
. "$(dirname "$0")/lib.sh"
plan 9
desc() {	# desc NAME PROMPT-PROPERTY
	cat >"$OUT/$1.dts" <<DTS
/dts-v1/;
/ {
	compatible = "cella,system";
	cells {
		$2
		ticker {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=200";
		};
		target {
			memory-size = <0x0 0x1000000>;
			kernel = "testcell.bin";
			bootargs = "testcell.mode=ticker testcell.ticks=100";
		};
	};
};
DTS
}
# talk NAME: boot NAME.img typing at the prompt
talk() {
	( sleep 2; printf '\035'; sleep 0.5; printf 'list\r'; sleep 0.5; printf 'restart target\r'
	  sleep 1; printf 'frobnicate\r'; sleep 0.5; printf 'focus target\r'; sleep 0.5
	  printf 'list\r'; sleep 0.5; printf 'exit\r'; sleep 15 ) |
		timeout 60 qemu-system-aarch64 $QEMU_MACHINE -smp 2 -m 512M -nographic \
			-kernel "$OUT/$1.img" >"$OUT/$1.log" 2>&1
	STATUS=$?
}
desc prompt ""
pack prompt "$OUT/prompt.dts"; ok $? "pack a ticker and a target"
talk prompt
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has prompt 'cella> ' &&
	has prompt "cella:   ticker +running +vCPUs 1 on pCPUs 0 +16 MiB .*restarts 0 .*\(keyboard\)" &&
	has prompt "cella:   target +running +vCPUs 1 on pCPUs 1 +16 MiB"
ok $? "list shows each cell: state, vCPUs on pCPUs, memory, restarts, the keyboard"
has prompt "cell 'target' restarting: by the operator"; ok $? "restart target"
[ "$(count prompt '\[target\] TESTCELL mode=ticker')" -eq 2 ]; ok $? "the target booted again"
has prompt 'cella: commands: list \| focus CELL'; ok $? "an unknown command gets the help line"
has prompt "the keyboard goes to cell 'target'" &&
	has prompt "cella:   target .*restarts 1 .*\(keyboard\)"
ok $? "focus moves the keyboard; list shows it and the restart"
# (the ticker has the keyboard first, so a line of its that another cuts is reprinted whole:
# count cella's reports about it, not its own lines)
none prompt "cell 'ticker' (restarting|stopped: by)" '\[ticker\] TICK 200' \
	"the ticker ran once to the end, untouched"
desc noprompt 'operator-prompt = "off";'
pack noprompt "$OUT/noprompt.dts" && talk noprompt
none noprompt 'cella> |restarting: by the operator' '\[ticker\] TICK 200' \
	"operator-prompt = \"off\": no prompt, nothing restarted"
[ "$T_FAIL" -eq 0 ] || show prompt 40
finish
