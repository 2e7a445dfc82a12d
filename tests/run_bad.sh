#!/usr/bin/env bash
# tests/run_bad.sh -- feed gilvm every file in tests/bad/ (hostile or erroneous programs)
# and check that it fails like Python does: exit status 1 and a last stderr line of the
# form `SomeError: message` (or a bare `MemoryError`), with no crash, no hang and no
# sanitizer report.
#
#   tests/run_bad.sh GILVM_BINARY [FILE ...]      (default: every file in tests/bad/)
#
# Environment: GILVM_FLAGS extra flags before the file; BAD_TIMEOUT seconds (default 10).
# Prints `ok NAME` / `FAIL NAME` lines, then `N passed, N failed`; exit 1 if any failed.
set -euo pipefail

if (($# < 1)); then
    printf 'usage: %s GILVM_BINARY [FILE ...]\n' "$0" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
gilvm=$1
shift
# A bare name is a file in the current directory if one exists there (meson passes
# some targets that way), else a command on PATH (e.g. python3).
[[ $gilvm != */* && -f $gilvm && -x $gilvm ]] && gilvm=./$gilvm
if [[ $gilvm == */* ]]; then
    gilvm=$(cd "$(dirname "$gilvm")" && pwd -P)/$(basename "$gilvm")
fi
read -ra gilvm_flags <<<"${GILVM_FLAGS:-}"
timeout_s=${BAD_TIMEOUT:-30}

if (($# == 0)); then
    shopt -s nullglob
    set -- "$here"/bad/*
    shopt -u nullglob
fi

err=$(mktemp)
trap 'rm -f "$err"' EXIT

passed=0
failed=0
for file in "$@"; do
    [[ -f $file ]] || continue
    name=$(basename "$file")
    dir=$(cd "$(dirname "$file")" && pwd -P)
    status=0
    (cd "$dir" && timeout -k 5 "$timeout_s" "$gilvm" "${gilvm_flags[@]}" "$name" \
        </dev/null >/dev/null 2>"$err") || status=$?
    last=$(awk 'NF { last = $0 } END { print last }' "$err")

    why=
    if ((status == 124 || status == 137)); then
        why="timed out after ${timeout_s}s"
    elif ((status >= 128)); then
        why="killed by signal $((status - 128)) (crash)"
    elif grep -qE 'Sanitizer|runtime error:' "$err"; then
        why="sanitizer report"
    elif ((status != 1)); then
        why="exit status $status, expected 1"
    elif ! grep -qE '^[A-Za-z_][A-Za-z0-9_.]*(Error|Exception)(: .*)?$' <<<"$last"; then
        why="last stderr line is not an '...Error: ...' line"
    fi

    if [[ -z $why ]]; then
        printf 'ok %s  (%s)\n' "$name" "${last:0:100}"
        passed=$((passed + 1))
    else
        printf 'FAIL %s: %s\n' "$name" "$why"
        tail -n 12 "$err" | cut -c1-300 | sed 's/^/  | /'
        failed=$((failed + 1))
    fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
