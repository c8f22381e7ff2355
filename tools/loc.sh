#!/usr/bin/env bash
# loc.sh FILE... - size of cella's trusted core: lines of C and assembly that run at EL2.
#
# Counts non-blank lines that are not only comments (/* */ blocks, // lines; comment markers inside
# string and character literals are not comments). Preprocessor lines count as code. Kinds by
# suffix: .c C, .S/.s assembly, .h headers. `make loc` passes the EL2 sources and headers.
# Prints a per-file table and the total:
#   EL2 trusted core: N lines (C: a, assembly: b, headers: c)
set -euo pipefail

(($#)) || { echo "usage: $0 FILE..." >&2; exit 2; }

# count FILE: the number of lines with code on them
count() {
	LC_ALL=C awk '
	BEGIN { inblock = 0; n = 0 }
	{
		line = $0; code = 0; instr = ""; i = 1; len = length(line)
		while (i <= len) {
			c = substr(line, i, 1); c2 = substr(line, i, 2)
			if (inblock) {
				if (c2 == "*/") { inblock = 0; i += 2 } else i++
				continue
			}
			if (instr != "") {		# inside "..." or '"'"'...'"'"'
				code = 1
				if (c == "\\") i += 2
				else { if (c == instr) instr = ""; i++ }
				continue
			}
			if (c2 == "/*") { inblock = 1; i += 2; continue }
			if (c2 == "//") break
			if (c == "\"" || c == "'"'"'") { instr = c; code = 1; i++; continue }
			if (c != " " && c != "\t" && c != "\r" && c != "\f" && c != "\v") code = 1
			i++
		}
		instr = ""			# literals do not span lines (a trailing \ is rare enough)
		if (code) n++
	}
	END { print n }' "$1"
}

total=0 c_lines=0 asm_lines=0 h_lines=0 missing=0
printf '%7s  %-5s  %s\n' lines kind file
for f in "$@"; do
	case $f in
	*.c) kind=C ;;
	*.S | *.s) kind=asm ;;
	*.h) kind=h ;;
	*) kind=other ;;
	esac
	if [[ ! -f $f ]]; then
		printf '%7s  %-5s  %s\n' - "$kind" "$f (missing)"
		missing=$((missing + 1))
		continue
	fi
	n=$(count "$f")
	printf '%7d  %-5s  %s\n' "$n" "$kind" "$f"
	total=$((total + n))
	case $kind in
	C) c_lines=$((c_lines + n)) ;;
	asm) asm_lines=$((asm_lines + n)) ;;
	h) h_lines=$((h_lines + n)) ;;
	esac
done
((missing == 0)) || echo "($missing file(s) listed but missing: not counted)"
echo "EL2 trusted core: $total lines (C: $c_lines, assembly: $asm_lines, headers: $h_lines)"
