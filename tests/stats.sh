#!/usr/bin/env bash
# tests/stats.sh GILVM -- --stats, --stats=json, --timeline and --trace, asserted
# by properties that hold in every run (never by timing):
#   every thread that ran has a row / a JSON entry / a trace track, named as
#   threading names it, with bytecodes > 0 and at least one GIL acquisition;
#   parallelism is at most the number of cores; the JSON parses; the timeline
#   is at most 80 columns with a legend; the trace is well-formed Chrome
#   Trace Event JSON (tests/check_trace.py); reports also appear after an
#   uncaught exception or sys.exit; bad flag values are usage errors.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
samples=$root/samples
check_trace=$root/tests/check_trace.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() { printf 'FAIL %s: %s\n' "$1" "$2"; fail=$((fail + 1)); sed 's/^/  | /' "$tmp/err" | head -40; }
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1

# run NAME ARGS... -- run gilvm, stdout to $tmp/out, stderr to $tmp/err; status in $st.
run() {
    local name=$1
    shift
    st=0
    timeout 300 "$gilvm" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
}

# Threads each sample starts, main included.
declare -A nthreads=([cpu_bound]=3 [io_bound]=6 [lost_update_lock]=11)

for sample in cpu_bound io_bound lost_update_lock; do
    n=${nthreads[$sample]}
    f=$samples/$sample.py

    # --- text table --------------------------------------------------------------
    run "$sample" --stats "$f"
    rows=$(grep -cE '^(MainThread|Thread-[0-9]+ \()' "$tmp/err")
    wide=$(awk 'length($0) > 80' "$tmp/err" | wc -l)
    if [[ $st == 0 && $rows == "$n" && $wide == 0 ]] && grep -q '^gilvm --stats:' "$tmp/err" \
            && grep -q '^total .*parallelism' "$tmp/err" && grep -q '^GIL .*held' "$tmp/err" \
            && ! grep -q 'gilvm --stats' "$tmp/out"; then
        ok "$sample --stats"
    else
        bad "$sample --stats" "status $st, $rows thread rows (want $n), $wide lines over 80"
    fi

    # --- JSON ----------------------------------------------------------------------
    if ((have_python)); then
        run "$sample" --stats=json "$f"
        if [[ $st == 0 ]] && python3 - "$tmp/err" "$n" "$sample" >"$tmp/why" 2>&1 <<'EOF'
import json, os, sys
path, n, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3]
d = json.load(open(path))
cores = os.cpu_count() or 1
t = d["threads"]
assert d["mode"] == "gil", d["mode"]
assert len(t) == n, "%d threads, want %d" % (len(t), n)
assert t[0]["name"] == "MainThread" and not t[0]["daemon"], t[0]
for i, th in enumerate(t[1:], 1):
    assert th["name"].startswith("Thread-%d (" % i), th["name"]
    assert th["finished"], th["name"] + " not finished"
for th in t:
    assert th["bytecodes"] > 0, th
    assert th["gil_acquisitions"] >= 1, th
    assert th["cpu_ns"] >= 0 and th["running_ns"] >= 0 and th["end_ns"] >= th["start_ns"], th
    assert th["voluntary_releases"] >= (1 if th["finished"] else 0), th
assert sum(th["bytecodes"] for th in t) == d["bytecodes"]
assert d["gil"]["acquisitions"] >= n and d["gil"]["acquisitions"] == sum(
    th["gil_acquisitions"] for th in t)
assert d["gil"]["forced_switches"] == sum(th["forced_switches"] for th in t)
assert 0 <= d["gil"]["held_share"] <= 1.0001, d["gil"]
assert 0 <= d["parallelism"] <= cores + 0.1, (d["parallelism"], cores)
if sample == "io_bound":
    for th in t[1:]:
        assert th["blocked_by_kind"]["sleep"]["count"] == 1, th
if sample != "io_bound":
    # main blocks while it starts its workers (start waits until the thread
    # runs) or joins them; a worker may finish before main reaches join, so
    # neither kind alone is certain.
    k = t[0]["blocked_by_kind"]
    assert k["join"]["count"] + k["event"]["count"] >= 1, t[0]
EOF
        then
            ok "$sample --stats=json"
        else
            bad "$sample --stats=json" "status $st: $(tail -3 "$tmp/why")"
        fi
    fi

    # --- timeline -----------------------------------------------------------------
    run "$sample" --timeline "$f"
    rows=$(grep -cE '^(MainThread|Thread-[0-9]+ \().*\|.*\|$' "$tmp/err")
    wide=$(awk 'length($0) > 80' "$tmp/err" | wc -l)
    if [[ $st == 0 && $rows == "$n" && $wide == 0 ]] && grep -q '^# running' "$tmp/err" \
            && grep -qE '^ +0 .*[0-9](us|ms|s)$' "$tmp/err" && grep -q '^gilvm --timeline:' "$tmp/err"; then
        ok "$sample --timeline"
    else
        bad "$sample --timeline" "status $st, $rows rows (want $n), $wide lines over 80"
    fi

    # --- trace --------------------------------------------------------------------
    if ((have_python)); then
        extra=()
        [[ $sample == io_bound ]] && extra=(--slice sleep)
        [[ $sample != io_bound ]] && extra=(--slice "blocked: *")   # join, or the start handshake (event)
        run "$sample" --trace "$tmp/trace.json" "$f"
        if [[ $st == 0 ]] && python3 "$check_trace" "$tmp/trace.json" --threads "$n" \
                --slice running --slice MainThread "${extra[@]}" >"$tmp/why" 2>&1; then
            ok "$sample --trace"
        else
            bad "$sample --trace" "status $st: $(head -5 "$tmp/why")"
        fi
    fi
done

# All reports at once; JSON to a file; the program's own output unchanged.
run all --stats=json:"$tmp/stats.json" --timeline --trace="$tmp/t2.json" "$samples/hello.py"
if [[ $st == 0 ]] && grep -q '^gilvm --timeline:' "$tmp/err" && ! grep -q '"threads"' "$tmp/err" \
        && { ((!have_python)) || { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
             "$tmp/stats.json" && python3 "$check_trace" "$tmp/t2.json" --threads 1; }; } \
        && "$gilvm" "$samples/hello.py" 2>/dev/null | cmp -s - "$tmp/out"; then
    ok all-reports
else
    bad all-reports "status $st"
fi

# Names: name=, a bare _thread thread, a daemon still running at exit; the
# figures of threads that finished long before exit are kept.
cat >"$tmp/names.py" <<'EOF'
import _thread, threading, time
done = threading.Event()
def f():
    sum(range(1000))
def bare():
    sum(range(1000))
    done.set()
threading.Thread(target=f, name="worker-A").start()
_thread.start_new_thread(bare, ())
done.wait()
threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
for t in [threading.Thread(target=f) for _ in range(3)]:
    t.start()
    t.join()
EOF
if ((have_python)); then
    run names --stats=json "$tmp/names.py"
    if [[ $st == 0 ]] && python3 - "$tmp/err" >"$tmp/why" 2>&1 <<'EOF'
import json, sys
t = {th["name"]: th for th in json.load(open(sys.argv[1]))["threads"]}
assert "worker-A" in t and t["worker-A"]["finished"] and t["worker-A"]["bytecodes"] > 0, t
bare = [th for n, th in t.items() if n.startswith("thread ")]
assert len(bare) == 1 and bare[0]["daemon"], t.keys()
daemon = [th for n, th in t.items() if n.endswith("(sleep)")]
assert len(daemon) == 1 and daemon[0]["daemon"] and not daemon[0]["finished"], daemon
assert len([n for n in t if n.endswith("(f)")]) == 3, t.keys()
assert len(t) == 7, t.keys()
EOF
    then
        ok thread-names
    else
        bad thread-names "status $st: $(tail -3 "$tmp/why")"
    fi
fi

# Reports after an uncaught exception and after sys.exit, with their statuses.
run exception --stats --timeline -c 'import threading
t = threading.Thread(target=print, args=("hi",)); t.start(); t.join()
1 / 0'
if [[ $st == 1 ]] && grep -q ZeroDivisionError "$tmp/err" && grep -q '^gilvm --stats:' "$tmp/err" \
        && grep -q '^gilvm --timeline:' "$tmp/err" && grep -q '^Thread-1 (print)' "$tmp/err"; then
    ok uncaught-exception
else
    bad uncaught-exception "status $st"
fi
run sys-exit --stats=json -c 'import sys; sys.exit(3)'
if [[ $st == 3 ]] && grep -q '"gilvm_stats"' "$tmp/err"; then
    ok sys-exit
else
    bad sys-exit "status $st"
fi

# The flags in --help; bad values are usage errors.
run help --help
if grep -q -- '--stats\[=json\[:FILE\]\]' "$tmp/out" && grep -q -- '--timeline' "$tmp/out" \
        && grep -q -- '--trace=FILE' "$tmp/out"; then
    ok help
else
    bad help "flags missing from --help"
fi
for args in "--stats=xml" "--stats=json:" "--trace=$tmp/no/such/dir/t.json"; do
    run usage "$args" -c pass
    if [[ $st == 2 && $(<"$tmp/err") == *"${args%%=*}"* ]]; then
        ok "usage $args"
    else
        bad "usage $args" "status $st"
    fi
done

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
