#!/usr/bin/env bash
# tests/run_scripts.sh -- run script tests through gilvm and check them against expected
# files and, when python3 is present, against CPython (differential testing).
#
#   tests/run_scripts.sh GILVM_BINARY [TEST.py | DIR ...]  (default: tests/scripts/*.py)
#
# For each NAME.py (run with its directory as cwd, stdin from /dev/null, 30 s timeout):
#   stdout   must equal NAME.out if present, else python3's stdout.
#   status   must equal NAME.status if present, else python3's status, else 0.
#   stderr   must equal NAME.err exactly if present; and with python3, its last line must
#            equal python3's last stderr line (e.g. `ZeroDivisionError: division by zero`).
#   python3  itself must print NAME.out / exit NAME.status when those exist, which proves
#            the checked-in expectations are CPython's behaviour.
#   NAME.nodiff (its content says why) skips every comparison with python3.
#   NAME.cycles (its content names the cycle) turns leak checks off for that script.
#   NAME.gilonly (its content says why) skips the script under --free-threaded.
#   Sanitizer reports in gilvm's stderr always fail.
#
# Environment: GILVM_FLAGS  extra gilvm flags put before the script (e.g. --free-threaded)
#              PYTHON       the reference interpreter (default: python3 on PATH)
#              TEST_TIMEOUT seconds per run (default 30)
# Prints `ok NAME` / `FAIL NAME` lines, then `N passed, N failed`; exit 1 if any failed.
set -euo pipefail

if (($# < 1)); then
    printf 'usage: %s GILVM_BINARY [TEST.py ...]\n' "$0" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
gilvm=$1
shift
# The runs happen in the test's directory: make a path to the binary absolute first.
# A bare name is a file in the current directory if one exists there (meson passes
# some targets that way), else a command on PATH (e.g. python3).
[[ $gilvm != */* && -f $gilvm && -x $gilvm ]] && gilvm=./$gilvm
if [[ $gilvm == */* ]]; then
    gilvm=$(cd "$(dirname "$gilvm")" && pwd -P)/$(basename "$gilvm")
fi
read -ra gilvm_flags <<<"${GILVM_FLAGS:-}"
timeout_s=${TEST_TIMEOUT:-30}

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
    python=
fi

if (($# == 0)); then
    set -- "$here"/scripts
fi
# A directory argument stands for every *.py in it.
args=()
shopt -s nullglob
for a in "$@"; do
    if [[ -d $a ]]; then
        args+=("$a"/*.py)
    else
        args+=("$a")
    fi
done
shopt -u nullglob
set -- "${args[@]}"


tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Expected-vs-actual diff with clear labels: show_diff WHAT EXPECTED_FILE LABEL ACTUAL_FILE LABEL
show_diff() {
    printf '  --- %s differs:\n' "$1"
    diff -u --label "$3" --label "$5" "$2" "$4" | sed 's/^/  /' | head -60 || true
}

last_line() {  # last non-empty line of a file
    awk 'NF { last = $0 } END { print last }' "$1"
}

# run_one NAME.py -- prints its report, returns 0 ok / 1 fail.
run_one() {
    local script=$1
    if [[ ! -f $script ]]; then
        printf '  no such test: %s\n' "$script"
        return 1
    fi
    local dir base name
    dir=$(cd "$(dirname "$script")" && pwd -P)
    base=$(basename "$script")
    name=${base%.py}
    local exp_out=$dir/$name.out exp_err=$dir/$name.err exp_status=$dir/$name.status
    local nodiff=0
    [[ -e $dir/$name.nodiff ]] && nodiff=1
    local ok=0  # becomes 1 on the first failure
    # NAME.gilonly (its content says why): a property of the GIL, skipped when
    # GILVM_FLAGS selects --free-threaded.
    if [[ -e $dir/$name.gilonly && " ${gilvm_flags[*]} " == *" --free-threaded "* ]]; then
        printf 'skip %s (GIL only)\n' "$name"
        return 0
    fi

    # --- gilvm. NAME.cycles (its content names the cycle) marks a script that
    # builds reference cycles: gilvm has no cycle collector yet, so leak checks
    # (LeakSanitizer, GILVM_LEAK_CHECK) are off for it.
    local g_status=0 leak_env=()
    if [[ -e $dir/$name.cycles ]]; then
        leak_env=(env -u GILVM_LEAK_CHECK "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
    fi
    (cd "$dir" && "${leak_env[@]}" timeout -k 5 "$timeout_s" "$gilvm" "${gilvm_flags[@]}" "$base" \
        </dev/null >"$tmp/g.out" 2>"$tmp/g.err") || g_status=$?

    # --- python3 (the reference), unless told not to compare
    local p_status=
    if [[ -n $python ]] && ((!nodiff)); then
        p_status=0
        (cd "$dir" && PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 PYTHONIOENCODING=utf-8 \
            timeout -k 5 "$timeout_s" "$python" "$base" \
            </dev/null >"$tmp/p.out" 2>"$tmp/p.err") || p_status=$?
    fi

    if ((g_status == 124)); then
        printf '  gilvm timed out after %ss\n' "$timeout_s"
        ok=1
    elif ((g_status >= 128)); then
        printf '  gilvm was killed by signal %d (crash?)\n' $((g_status - 128))
        ok=1
    fi
    if grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|WARNING: ThreadSanitizer' \
            "$tmp/g.err"; then
        printf '  sanitizer report in gilvm stderr\n'
        ok=1
    fi

    # --- stdout
    if [[ -f $exp_out ]]; then
        if ! cmp -s "$exp_out" "$tmp/g.out"; then
            show_diff "stdout" "$exp_out" "expected stdout ($name.out)" "$tmp/g.out" "gilvm stdout"
            ok=1
        fi
        if [[ -n $p_status ]] && ! cmp -s "$exp_out" "$tmp/p.out"; then
            show_diff "python3 stdout vs checked-in .out" "$exp_out" "expected stdout ($name.out)" \
                "$tmp/p.out" "python3 stdout"
            ok=1
        fi
    elif [[ -n $p_status ]]; then
        if ! cmp -s "$tmp/p.out" "$tmp/g.out"; then
            show_diff "stdout" "$tmp/p.out" "expected stdout (python3)" "$tmp/g.out" "gilvm stdout"
            ok=1
        fi
    fi

    # --- exit status
    local want_status=0 want_from=default
    if [[ -f $exp_status ]]; then
        want_status=$(tr -d '[:space:]' <"$exp_status")
        want_from=$name.status
        if [[ -n $p_status ]] && [[ $p_status != "$want_status" ]]; then
            printf '  python3 exited %s but %s says %s\n' "$p_status" "$want_from" "$want_status"
            ok=1
        fi
    elif [[ -n $p_status ]]; then
        want_status=$p_status
        want_from=python3
    fi
    if [[ $g_status != "$want_status" ]]; then
        printf '  exit status: expected %s (%s), gilvm exited %s\n' "$want_status" "$want_from" "$g_status"
        ok=1
    fi

    # --- stderr
    if [[ -f $exp_err ]] && ! cmp -s "$exp_err" "$tmp/g.err"; then
        show_diff "stderr" "$exp_err" "expected stderr ($name.err)" "$tmp/g.err" "gilvm stderr"
        ok=1
    fi
    if [[ -n $p_status ]]; then
        last_line "$tmp/p.err" >"$tmp/p.last"
        last_line "$tmp/g.err" >"$tmp/g.last"
        if ! cmp -s "$tmp/p.last" "$tmp/g.last"; then
            show_diff "last line of stderr" "$tmp/p.last" "python3 stderr, last line" \
                "$tmp/g.last" "gilvm stderr, last line"
            ok=1
        fi
    fi

    if ((ok != 0)) && [[ -s $tmp/g.err && ! -f $exp_err ]]; then
        printf '  gilvm stderr (last 15 lines):\n'
        tail -n 15 "$tmp/g.err" | sed 's/^/  | /'
    fi
    return "$ok"
}

passed=0
failed=0
for script in "$@"; do
    name=$(basename "$script" .py)
    if report=$(run_one "$script"); then
        printf 'ok %s\n' "$name"
        passed=$((passed + 1))
    else
        printf 'FAIL %s\n' "$name"
        [[ -n $report ]] && printf '%s\n' "$report"
        failed=$((failed + 1))
    fi
done
printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
