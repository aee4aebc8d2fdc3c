#!/usr/bin/env bash
# Checks every tracked C file against .clang-format; one TAP line per file.
cd "$(dirname "$0")/.." || exit 1
n=0
fail=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*'); do
	n=$((n + 1))
	if clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "ok $n - $f is formatted"
	else
		fail=1
		echo "not ok $n - $f is formatted (run: clang-format -i $f)"
	fi
done
echo "1..$n"
exit $fail
