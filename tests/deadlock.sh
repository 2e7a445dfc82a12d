#!/usr/bin/env bash
# tests/deadlock.sh GILVM -- the deadlock detector and --lock-order, asserted by
# properties that hold in every run. The only time bound is the one the feature
# promises: a deadlocked program ends (status 3) within 2 s (10 s for ASan/TSan
# builds, which run 5-15x slower, on a machine scripts/test keeps busy with two
# suites at once: still far from "hung", never close to a normal run). Nothing here waits
# for a deadlock to "probably" have happened: each script makes it certain
# (barriers, events nobody sets) or certain not to happen.
#   samples/deadlock.py: status 3, the report names both locks and all four lines;
#   samples/deadlock_fixed.py: status 0, python3's output, no warning with --lock-order;
#   join on a thread waiting for an Event nobody sets, a queue get, a self-deadlock,
#   a lock held by a thread that ended, a wait at exit, a 3-thread cycle: reported;
#   timed waits, sleeps and timed acquires while another thread waits forever: not;
#   --lock-order: one warning for an inversion that did not deadlock, none for one
#   consistent order, none without the flag;
#   Ctrl-C still ends a wait without timeout.
# Environment: GILVM_FLAGS  gilvm flags put first (meson runs it again with --free-threaded)
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
read -ra mode_flags <<<"${GILVM_FLAGS:-}"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
bound=2
if grep -aqE '__(tsan|asan)_init' "$gilvm"; then bound=10; fi
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() {
    printf 'FAIL %s: %s\n' "$1" "$2"
    sed 's/^/  | /' "$tmp/err" | head -15
    fail=$((fail + 1))
}

# run NAME SECONDS ARGS... -- gilvm with a time bound; sets $st, output in $tmp/out, $tmp/err
run() {
    local secs=$2
    shift 2
    st=0
    timeout -k 1 "$secs" "$gilvm" "${mode_flags[@]}" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
}
# expect NAME STATUS PATTERN... -- $st is STATUS and every PATTERN (grep -E) is in stderr
expect() {
    local name=$1 want=$2
    shift 2
    if [[ $st != "$want" ]]; then
        bad "$name" "status $st, expected $want"
        return
    fi
    local p
    for p in "$@"; do
        if ! grep -qE -- "$p" "$tmp/err"; then
            bad "$name" "stderr does not match /$p/"
            return
        fi
    done
    ok "$name"
}
# clean NAME -- $st is 0 and stderr is empty
clean() {
    if [[ $st == 0 && ! -s $tmp/err ]]; then ok "$1"; else bad "$1" "status $st, stderr above"; fi
}

# --- the samples -----------------------------------------------------------------
sample=$root/samples/deadlock.py
line() { grep -n -- "$1" "$sample" | sed -n "${2}p" | cut -d: -f1; }
a1=$(line 'with lock_a:' 1) b1=$(line 'with lock_b:' 1) b2=$(line 'with lock_b:' 2) a2=$(line 'with lock_a:' 2)
run deadlock-sample "$bound" "$sample"
expect deadlock-sample 3 '^Deadlock: every thread is blocked' \
    "Thread-1 \(transfer_ab\) holds Lock lock_a, acquired at .*deadlock\.py:$a1 in transfer_ab\(\)" \
    "and waits for Lock lock_b at .*deadlock\.py:$b1 in transfer_ab\(\)" \
    "Thread-2 \(transfer_ba\) holds Lock lock_b, acquired at .*deadlock\.py:$b2 in transfer_ba\(\)" \
    "and waits for Lock lock_a at .*deadlock\.py:$a2 in transfer_ba\(\)" \
    "MainThread waits in join\(\) for Thread-1 \(transfer_ab\)" \
    '^gilvm: deadlock, exit status 3$'
if [[ -s $tmp/out ]]; then bad deadlock-sample-stdout "printed to stdout"; else ok deadlock-sample-stdout; fi
run one-at-a-time 30 --lock-order "$sample" one-at-a-time
expect one-at-a-time 0 \
    "^lock-order inversion: Thread-1 \(transfer_ab\) took lock_a \(.*deadlock\.py:$a1\) then lock_b \(.*deadlock\.py:$b1\); Thread-2 \(transfer_ba\) took lock_b \(.*deadlock\.py:$b2\) then lock_a \(.*deadlock\.py:$a2\)\$"
[[ $(cat "$tmp/out") == $'transfer_ab done\ntransfer_ba done\nboth transfers done' ]] &&
    ok one-at-a-time-stdout || bad one-at-a-time-stdout "stdout: $(cat "$tmp/out")"

fixed=$root/samples/deadlock_fixed.py
want="one lock order: 2,000 transfers, balances a=100 b=100
timeouts: done ['ab', 'ba'], someone backed off: True"
for flags in "" "--lock-order"; do
    run "fixed $flags" 30 $flags "$fixed"
    if [[ $st == 0 && ! -s $tmp/err && $(cat "$tmp/out") == "$want" ]]; then
        ok "deadlock_fixed $flags"
    else
        bad "deadlock_fixed $flags" "status $st, stdout: $(cat "$tmp/out")"
    fi
done

# --- what a thread waits in ------------------------------------------------------------
cat >"$tmp/join_event.py" <<'EOF'
import threading
ready = threading.Event()
def worker():
    ready.wait()
t = threading.Thread(target=worker)
t.start()
print("joining")
t.join()
EOF
run join-event "$bound" "$tmp/join_event.py"
expect join-event 3 '^Blocked threads:$' \
    '^  MainThread waits in join\(\) for Thread-1 \(worker\) at .*join_event\.py:8 in <module>$' \
    '^  Thread-1 \(worker\) waits on Event ready at .*join_event\.py:4 in worker\(\)$'
[[ $(cat "$tmp/out") == joining ]] && ok join-event-stdout-flushed || bad join-event-stdout-flushed "stdout: $(cat "$tmp/out")"

cat >"$tmp/queue_get.py" <<'EOF'
import threading, queue
jobs = queue.Queue()
def consumer():
    while True:
        print("got", jobs.get())
t = threading.Thread(target=consumer, name="consumer")
t.start()
jobs.put(1)
t.join()
EOF
run queue-get "$bound" "$tmp/queue_get.py"
expect queue-get 3 'consumer waits in Queue\.get\(\) on jobs \(the queue is empty\) at .*queue_get\.py:5 in consumer\(\)'

cat >"$tmp/self.py" <<'EOF'
import threading
lock = threading.Lock()
def twice():
    with lock:
        lock.acquire()
twice()
EOF
run self-deadlock "$bound" "$tmp/self.py"
expect self-deadlock 3 'the only thread is blocked' \
    'MainThread holds Lock lock, acquired at .*self\.py:4 in twice\(\)' \
    'and waits for it again at .*self\.py:5 in twice\(\)'

cat >"$tmp/ended.py" <<'EOF'
import threading
forks = [threading.Lock(), threading.Lock()]
def keep():
    forks[1].acquire()
t = threading.Thread(target=keep)
t.start()
t.join()
forks[1].acquire()
EOF
run ended-owner "$bound" "$tmp/ended.py"
expect ended-owner 3 'MainThread waits for Lock forks\[1\] at .*ended\.py:8' \
    'held by a thread that ended without releasing it .*acquired at .*ended\.py:4 in keep\(\)'

cat >"$tmp/at_exit.py" <<'EOF'
import threading
cond = threading.Condition()
def waiter():
    with cond:
        cond.wait()
threading.Thread(target=waiter, name="waiter").start()
EOF
run at-exit "$bound" "$tmp/at_exit.py"
expect at-exit 3 'MainThread has finished the script and waits for waiter to end' \
    'waiter waits on Condition cond at .*at_exit\.py:5 in waiter\(\)'

cat >"$tmp/philosophers.py" <<'EOF'
import threading
forks = [threading.RLock() for _ in range(3)]
seated = threading.Barrier(3)
def dine(i):
    with forks[i]:
        seated.wait()
        with forks[(i + 1) % 3]:
            pass
ts = [threading.Thread(target=dine, args=(i,), daemon=True) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
EOF
run three-cycle "$bound" "$tmp/philosophers.py"
expect three-cycle 3 '^Lock cycle' \
    'Thread-1 \(dine\) holds RLock forks\[0\], acquired at .*philosophers\.py:5' \
    'Thread-2 \(dine\) holds RLock forks\[1\]' 'Thread-3 \(dine\) holds RLock forks\[2\]' \
    'and waits for RLock forks\[0\] at .*philosophers\.py:7 in dine\(\)'

# --- not deadlocks ------------------------------------------------------------------------
# Main waits without timeout all along; the worker's waits all end by themselves.
cat >"$tmp/timed.py" <<'EOF'
import threading, time
done = threading.Event()
never = threading.Event()
held = threading.Lock()
def worker():
    r1 = never.wait(0.3)
    r2 = held.acquire(timeout=0.2)
    time.sleep(0.1)
    c = threading.Condition()
    with c:
        r3 = c.wait(0.1)
    print("timed out:", r1, r2, r3)
    done.set()
held.acquire()
threading.Thread(target=worker).start()
done.wait()
print("main done")
EOF
run timed-waits 30 "$tmp/timed.py"
if [[ $st == 0 && ! -s $tmp/err && $(cat "$tmp/out") == $'timed out: False False False\nmain done' ]]; then
    ok timed-waits
else
    bad timed-waits "status $st, stdout: $(cat "$tmp/out")"
fi

# --- --lock-order ----------------------------------------------------------------------------
cat >"$tmp/inversion.py" <<'EOF'
import threading
lock_a = threading.Lock()
lock_b = threading.Lock()
def ab():
    with lock_a:
        with lock_b:
            pass
def ba():
    with lock_b:
        with lock_a:
            pass
for f in (ab, ba, ab, ba):
    t = threading.Thread(target=f)
    t.start()
    t.join()
print("no deadlock this time")
EOF
run lock-order-inversion 30 --lock-order "$tmp/inversion.py"
expect lock-order-inversion 0 \
    '^lock-order inversion: Thread-1 \(ab\) took lock_a \(.*inversion\.py:5\) then lock_b \(.*inversion\.py:6\); Thread-2 \(ba\) took lock_b \(.*inversion\.py:9\) then lock_a \(.*inversion\.py:10\)$'
n=$(grep -c 'lock-order inversion' "$tmp/err")
[[ $n == 1 ]] && ok lock-order-once || bad lock-order-once "$n warnings"
run no-flag-no-warning 30 "$tmp/inversion.py"
clean no-flag-no-warning

cat >"$tmp/consistent.py" <<'EOF'
import threading, queue
lock_a = threading.Lock()
lock_b = threading.RLock()
cond = threading.Condition(lock_a)
jobs = queue.Queue()
def work():
    with lock_a:
        with lock_b:
            with lock_b:
                jobs.put(1)
    with cond:
        cond.notify_all()
for _ in range(3):
    t = threading.Thread(target=work)
    t.start()
    t.join()
with lock_a:
    cond.wait(0.01)
    with lock_b:
        pass
print(jobs.qsize())
EOF
run lock-order-consistent 30 --lock-order "$tmp/consistent.py"
clean lock-order-consistent

# --- Ctrl-C still ends a wait without timeout ----------------------------------------------------
cat >"$tmp/ctrl_c.py" <<'EOF'
import threading, time
def busy():
    while True:
        time.sleep(0.01)
t = threading.Thread(target=busy, daemon=True)
t.start()
print("waiting", flush=True)
t.join()
EOF
st=0
coproc GV { exec "$gilvm" "${mode_flags[@]}" "$tmp/ctrl_c.py" 2>"$tmp/err" </dev/null; }
pid=$GV_PID
read -r -t 10 first <&"${GV[0]}" || first=
kill -INT "$pid" 2>/dev/null
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
kill -KILL "$pid" 2>/dev/null
wait "$pid" || st=$?
expect ctrl-c-in-join 1 '^KeyboardInterrupt'

# --- documentation -----------------------------------------------------------------------------
"$gilvm" --help >"$tmp/err" 2>&1
st=0
expect help 0 '--lock-order' '3 deadlock'

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
