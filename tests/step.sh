#!/usr/bin/env bash
# tests/step.sh GILVM -- the seeded scheduler (--seed) and stepping (--step,
# --step-script), asserted by properties that hold in every run:
#   the same seed gives the same output, byte for byte, on real threads (a
#   racy counter under --preempt=instruction, queues, events, sleeps, a
#   deadlock); different seeds give different interleavings; a seeded run of
#   every sample ends with the status of a normal run;
#   samples/step_lost_update.txt loses exactly one update, every time, and the
#   transcript shows the stale load and the store; stepping from a pipe; `q`;
#   a thread that cannot run is refused with the reason; bad flags and
#   combinations are usage errors.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
samples=$root/samples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() {
    printf 'FAIL %s: %s\n' "$1" "$2"
    fail=$((fail + 1))
    sed 's/^/  | /' "$tmp/out" | tail -25
}
run() {   # run ARGS... -> $tmp/out (stdout+stderr), status in $st
    st=0
    timeout 120 "$gilvm" "$@" >"$tmp/out" 2>&1 </dev/null || st=$?
}

# --- --seed: same seed, same run ----------------------------------------------------
cat >"$tmp/racy.py" <<'EOF'
import threading
counter = 0
log = []
def work(n):
    global counter
    for i in range(n):
        counter += 1
        if i % 500 == 0:
            log.append(threading.current_thread().name)
ts = [threading.Thread(target=work, args=(3000,)) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("counter", counter)
print("order", " ".join(n[-1] for n in log))
EOF
cat >"$tmp/mixed.py" <<'EOF'
import queue, threading, time
q = queue.Queue(maxsize=3)
ev = threading.Event()
lock = threading.Lock()
seen = []
def producer(k):
    for i in range(20):
        q.put((k, i))
        if i % 7 == 0:
            time.sleep(0.001)
def consumer():
    ev.wait()
    for _ in range(40):
        item = q.get()
        with lock:
            seen.append(item)
ps = [threading.Thread(target=producer, args=(k,)) for k in range(2)]
c = threading.Thread(target=consumer)
c.start()
for p in ps:
    p.start()
time.sleep(0.002)
ev.set()
for t in ps + [c]:
    t.join()
print(len(seen), seen[:6], seen[-3:])
EOF
for script in racy mixed; do
    for seed in 1 2 3; do
        run --seed=$seed --preempt=instruction "$tmp/$script.py"
        cp "$tmp/out" "$tmp/$script.$seed.a"
        st_a=$st
        run --seed=$seed --preempt=instruction "$tmp/$script.py"
        if [[ $st_a == 0 && $st == 0 ]] && cmp -s "$tmp/$script.$seed.a" "$tmp/out"; then
            ok "$script --seed=$seed twice: same output"
        else
            bad "$script --seed=$seed twice" "status $st_a/$st, outputs differ: $(diff "$tmp/$script.$seed.a" "$tmp/out" | head -3)"
        fi
    done
done
if ! cmp -s "$tmp/racy.1.a" "$tmp/racy.2.a" || ! cmp -s "$tmp/racy.1.a" "$tmp/racy.3.a"; then
    ok "different seeds, different interleavings"
else
    bad "different seeds" "seeds 1, 2 and 3 gave the same run: $(cat "$tmp/racy.1.a")"
fi
# Under --preempt=instruction a seeded schedule switches inside `counter += 1`.
if grep -q '^counter ' "$tmp/racy.1.a" && ! grep -q '^counter 12000$' "$tmp/racy.1.a"; then
    ok "seeded instruction-level schedule loses updates"
else
    bad "seeded lost updates" "$(cat "$tmp/racy.1.a")"
fi
# At back-edges only (the default), the same program loses none.
run --seed=1 "$tmp/racy.py"
if [[ $st == 0 ]] && grep -q '^counter 12000$' "$tmp/out"; then
    ok "seeded back-edge schedule loses nothing"
else
    bad "seeded back-edge" "status $st"
fi
# A seeded deadlock is reported like any other.
run --seed=5 "$samples/deadlock.py"
if [[ $st == 3 ]] && grep -q 'deadlock' "$tmp/out"; then
    ok "deadlock under --seed: status 3"
else
    bad "deadlock under --seed" "status $st"
fi
# Every sample ends as it does without --seed (deadlock.py: 3).
for f in "$samples"/*.py; do
    name=$(basename "$f" .py)
    want=0
    [[ $name == deadlock ]] && want=3
    run --seed=11 "$f"
    if [[ $st == "$want" ]]; then
        ok "sample $name under --seed"
    else
        bad "sample $name under --seed" "status $st, want $want"
    fi
done

# Ctrl-C reaches the main thread in a join (while another thread spins) and in a
# sleep: KeyboardInterrupt, not a hang.
cat >"$tmp/spin.py" <<'EOF'
import sys, threading, time
def spin():
    while True:
        pass
t = threading.Thread(target=spin, daemon=True)
t.start()
print("started", flush=True)
if sys.argv[1] == "join":
    t.join()
else:
    time.sleep(60)
EOF
for how in join sleep; do
    st=0
    timeout -s INT 3 "$gilvm" --seed=1 "$tmp/spin.py" "$how" >"$tmp/out" 2>&1 </dev/null || st=$?
    if grep -q '^KeyboardInterrupt$' "$tmp/out" && grep -q '^started$' "$tmp/out"; then
        ok "Ctrl-C under --seed in $how"
    else
        bad "Ctrl-C under --seed in $how" "status $st"
    fi
done

# The same seed gives the same trace: each thread started by the program has the same
# events in the same order (timestamps and OS thread ids are real, so they differ,
# and so does the order in which the file interleaves two threads' events).
if command -v python3 >/dev/null 2>&1; then
    for i in 1 2; do
        run --seed=3 --preempt=instruction --trace="$tmp/trace$i.json" "$samples/lost_update.py" 3 300
    done
    if python3 - "$tmp/trace1.json" "$tmp/trace2.json" <<'EOF'
import json, sys
def events(path):
    d = json.load(open(path))
    ev = d["traceEvents"] if isinstance(d, dict) else d
    names = {e["tid"]: e["args"]["name"] for e in ev
             if e.get("ph") == "M" and e.get("name") == "thread_name"}
    per = {}
    for e in ev:
        if e.get("ph") != "M":
            per.setdefault(names.get(e.get("tid")), []).append((e.get("name"), e.get("ph")))
    return per
# Per thread: the file interleaves threads by real timestamp. The main thread is left
# out: at exit it waits in real time for threads still on their way out.
a, b = events(sys.argv[1]), events(sys.argv[2])
a.pop("MainThread", None)
b.pop("MainThread", None)
sys.exit(0 if a == b and sum(map(len, a.values())) > 50 else 1)
EOF
    then
        ok "same seed, same trace events"
    else
        bad "same seed, same trace events" "the traces differ"
    fi
fi

# --- stepping ---------------------------------------------------------------------------
run --step-script="$samples/step_lost_update.txt" "$samples/lost_update.py" 2 1
if [[ $st == 0 ]] && grep -q '^expected 2  actual 1  lost 1 (50.0%)$' "$tmp/out" \
        && grep -q 'pushed 0' "$tmp/out" && grep -q 'counter = 1' "$tmp/out" \
        && grep -q '^\[2\] Thread-1 (work) .*LOAD_GLOBAL.*counter += 1' "$tmp/out"; then
    ok "step_lost_update.txt loses exactly one update"
else
    bad "step_lost_update.txt" "status $st"
fi
cp "$tmp/out" "$tmp/step.a"
run --step-script="$samples/step_lost_update.txt" "$samples/lost_update.py" 2 1
if cmp -s "$tmp/step.a" "$tmp/out"; then
    ok "stepping transcript is the same every time"
else
    bad "stepping transcript" "$(diff "$tmp/step.a" "$tmp/out" | head -5)"
fi
# Commands from a pipe; `p`, `t`, `b`, refusal of a thread that cannot run; q.
cat >"$tmp/join.py" <<'EOF'
import threading
lock = threading.Lock()
x = 0
def f():
    global x
    with lock:
        x = 41
t = threading.Thread(target=f)
lock.acquire()
t.start()
x = 1
lock.release()
t.join()
print("x", x)
EOF
printf 'b 11\nc\nt\ns 2\np x\np x + 1\nn\nn 2\nh\nq\n' >"$tmp/cmds"
st=0
timeout 60 "$gilvm" --step "$tmp/join.py" <"$tmp/cmds" >"$tmp/out" 2>&1 || st=$?
if [[ $st == 0 ]] && grep -q 'breakpoint: line 11' "$tmp/out" \
        && grep -q 'cannot run: it waits for Lock lock, held by MainThread (acquired at .*join.py:9 in <module>); \[1\] is now at line 12' "$tmp/out" \
        && grep -q '^  1$' "$tmp/out" \
        && grep -qE '^    lock +held by \[1\] MainThread, taken at .*join.py:9 in <module>$' "$tmp/out" && grep -q 'quit: the program stops here' "$tmp/out" \
        && ! grep -q '^x ' "$tmp/out" && grep -q 'run one instruction' "$tmp/out"; then
    ok "stepping from a pipe: b, c, t, s T refused, p, n, h, q"
else
    bad "stepping from a pipe" "status $st"
fi
# When the commands run out the program runs to its end.
printf 'n\n' | timeout 60 "$gilvm" --step "$tmp/join.py" >"$tmp/out" 2>&1
if grep -q '^x 41$' "$tmp/out" && grep -q 'no more commands' "$tmp/out"; then
    ok "stepping: end of commands runs to the end"
else
    bad "end of commands" "$(tail -2 "$tmp/out")"
fi

# --- usage --------------------------------------------------------------------------------
for args in "--seed=abc -c pass" "--seed=-1 -c pass" "--seed=1 --free-threaded -c pass" \
            "--step --free-threaded -c pass" "--step" "--step-script=$tmp/nope.txt -c pass" \
            "--step-script=$tmp -c pass"; do
    read -ra a <<<"$args"
    run "${a[@]}"
    if [[ $st == 2 ]] && grep -qE 'seed|step|nope|Is a directory' "$tmp/out"; then
        ok "usage: $args"
    else
        bad "usage: $args" "status $st"
    fi
done
run --help
if grep -q -- '--seed=N' "$tmp/out" && grep -q -- '--step-script=FILE' "$tmp/out"; then
    ok "--help lists --seed, --step, --step-script"
else
    bad "--help" "flags missing"
fi

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
