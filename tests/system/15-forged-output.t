#!/bin/bash
# A cell cannot forge cella's messages or another cell's lines (issue 6, hole 6): with several
# cells, a cell's backspaces, carriage returns and escape sequences are filtered or shown in
# caret notation, so its "[name] " prefix stays and nothing it writes starts a console line.
. "$(dirname "$0")/lib.sh"
plan 6
ticker_beside forge forge hostile-forge 1
pack forge "$OUT/forge.dts"; ok $? "pack a forging cell beside a ticker"
boot forge 2 512M 60
ok $([ "$STATUS" -eq 0 ]; echo $?) "QEMU exits 0 (status $STATUS)"
has forge '\[forge\] FORGE done' && [ "$(count forge '\[forge\] .*FORGED')" -ge 12 ]
ok $? "the forging cell ran and its text is shown, under its own prefix"
# what a terminal would show: \r and \b move the cursor, ESC [ n G sets the column, ESC [ 2 K
# erases the line, printable bytes overwrite
python3 - "$OUT/forge.log" "$OUT/forge.screen" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read().decode('latin-1')
out, line, col, i = [], [], 0, 0
while i < len(data):
    ch = data[i]
    m = re.match(r'\x1b\[([0-9;]*)([A-Za-z])', data[i:])
    if m:
        n = int(m.group(1) or '1') if m.group(1).isdigit() else 1
        if m.group(2) == 'K':
            line = []
        elif m.group(2) == 'G':
            col = n - 1
        i += m.end()
        continue
    if ch == '\n':
        out.append(''.join(line).rstrip()); line, col = [], 0
    elif ch == '\r':
        col = 0
    elif ch == '\b':
        col = max(0, col - 1)
    elif ch >= ' ':
        while len(line) <= col:
            line.append(' ')
        line[col] = ch
        col += 1
    i += 1
open(sys.argv[2], 'w').write('\n'.join(out) + '\n')
PY
f=$(grep -Ec "^(cella: .*FORGED|\[ticker\] .*FORGED)" "$OUT/forge.screen")
ok $([ "$f" -eq 0 ]; echo $?) "no console line starts with forged text ($f)"
esc=$(tr -cd '\033\010\007\233' <"$OUT/forge.log" | wc -c)
ok $([ "$esc" -eq 0 ]; echo $?) "no ESC, backspace, BEL or raw CSI byte reaches the console ($esc)"
has forge '\[ticker\] TICK 30' && has forge "cell 'ticker' stopped: powered off"
ok $? "the ticker ran to the end beside it"
[ "$T_FAIL" -eq 0 ] || show forge 30
finish
