#!/usr/bin/env bash
# tests/race.sh GILVM -- --race, asserted by properties that hold in every run.
# Every racy script starts its threads at a Barrier, so their loops overlap for
# sure (an HB detector only sees races that this run's order leaves open);
# every clean one orders its accesses by a lock, a queue, an event, a join.
#   racy counter, --free-threaded and --seed=1 --preempt=instruction (a fixed schedule):
#     one report on global 'counter' naming the line twice and two threads;
#     under the GIL (exact accounting) the overwritten count is > 0 and equals
#     the program's own "lost"; a four-line story; free-threaded, any count
#     line says it is an estimate;
#   locked counter, samples/producer_consumer.py, samples/sync_primitives.py,
#   an Event hand-off, two threads on two globals, an RLock-protected
#   attribute, items of a list written by one thread each: no report (both modes);
#   a race on an attribute and on a list item is named as such;
#   stdout is the same with and without --race; the exit status is unchanged
#   (sys.exit(3) after a race: status 3, report printed).
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() {
    printf 'FAIL %s: %s\n' "$1" "$2"
    sed 's/^/  | /' "$tmp/err" | head -20
    fail=$((fail + 1))
}
# run ARGS... -- gilvm; status in $st, output in $tmp/out and $tmp/err
run() {
    st=0
    timeout -k 1 120 "$gilvm" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
}
count() { grep -c -E "$1" "$tmp/err"; }

cat >"$tmp/racy.py" <<'EOF'
import threading
THREADS = 4
N = 20000
counter = 0
start = threading.Barrier(THREADS)

def work():
    global counter
    start.wait()
    for _ in range(N):
        counter += 1

ts = [threading.Thread(target=work) for _ in range(THREADS)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("lost", THREADS * N - counter)
EOF
racy_line=$(grep -n 'counter += 1' "$tmp/racy.py" | cut -d: -f1)

cat >"$tmp/locked.py" <<'EOF'
import threading
counter = 0
lock = threading.Lock()
start = threading.Barrier(4)

def work():
    global counter
    start.wait()
    for _ in range(5000):
        with lock:
            counter += 1

ts = [threading.Thread(target=work) for _ in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(counter)
EOF

cat >"$tmp/event.py" <<'EOF'
import threading
data = None
ready = threading.Event()

def producer():
    global data
    data = [1, 2, 3]
    data[0] = 10
    ready.set()

t = threading.Thread(target=producer)
t.start()
ready.wait()
print(data, data[0])
data = None
t.join()
EOF

cat >"$tmp/two_globals.py" <<'EOF'
import threading
a = 0
b = 0
start = threading.Barrier(2)

def wa():
    global a
    start.wait()
    for _ in range(5000):
        a += 1

def wb():
    global b
    start.wait()
    for _ in range(5000):
        b += 1

ts = [threading.Thread(target=wa), threading.Thread(target=wb)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(a, b)
EOF

cat >"$tmp/clean_objects.py" <<'EOF'
import threading

class Account:
    def __init__(self):
        self.balance = 0
        self.lock = threading.RLock()

    def deposit(self, n):
        with self.lock:
            with self.lock:
                self.balance += n

acct = Account()
slots = [0, 0, 0, 0]
start = threading.Barrier(4)

def work(i):
    start.wait()
    for _ in range(2000):
        acct.deposit(1)
        slots[i] += 1

ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(acct.balance, slots)
EOF

cat >"$tmp/racy_objects.py" <<'EOF'
import threading

class Stats:
    def __init__(self):
        self.hits = 0

stats = Stats()
shared = [0]
start = threading.Barrier(2)

def work():
    start.wait()
    for _ in range(20000):
        stats.hits += 1
        shared[0] += 1

ts = [threading.Thread(target=work) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("done")
EOF

cat >"$tmp/exit3.py" <<'EOF'
import sys
import threading
counter = 0
start = threading.Barrier(2)

def work():
    global counter
    start.wait()
    for _ in range(20000):
        counter += 1

ts = [threading.Thread(target=work) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("bye")
sys.exit(3)
EOF

# --- the racy counter ------------------------------------------------------------------
# Under the GIL a seeded instruction-level schedule: the threads interleave (and lose
# updates) the same way in every run, however busy the machine is.
for mode in "--free-threaded" "--seed=1 --preempt=instruction"; do
    read -ra mf <<<"$mode"
    name="racy counter ($mode)"
    run "${mf[@]}" --race "$tmp/racy.py"
    if [[ $st != 0 ]]; then bad "$name" "status $st"; continue; fi
    if [[ $(count "data race on global 'counter'") != 1 ]]; then
        bad "$name" "expected exactly one report on 'counter'"; continue
    fi
    if [[ $(count "data race on") != 1 ]]; then bad "$name" "more than one report"; continue; fi
    if ! grep -qE "^  (read|write) by Thread-[0-9]+ \(work\) at .*racy\.py:$racy_line \(counter \+= 1\), holding no locks" "$tmp/err" ||
        ! grep -qE "^  previous (read|write) by Thread-[0-9]+ \(work\) at .*racy\.py:$racy_line " "$tmp/err"; then
        bad "$name" "report lines do not name both accesses"; continue
    fi
    t1=$(grep -E "^  (read|write) by" "$tmp/err" | sed -E 's/.* by (Thread-[0-9]+).*/\1/')
    t2=$(grep -E "^  previous" "$tmp/err" | sed -E 's/.* by (Thread-[0-9]+).*/\1/')
    if [[ -z $t1 || $t1 == "$t2" ]]; then bad "$name" "not two threads ($t1, $t2)"; continue; fi
    lost=$(sed -n 's/^lost //p' "$tmp/out")
    if [[ $mode == --seed* ]]; then
        line=$(grep "lost updates on global 'counter'" "$tmp/err")
        over=$(sed -nE "s/.* ([0-9,]+) overwritten$/\1/p" <<<"$line" | tr -d ,)
        if [[ -z $over || $over -le 0 ]]; then bad "$name" "no overwritten count (program lost $lost)"; continue; fi
        if [[ $over != "$lost" ]]; then bad "$name" "overwritten $over, program lost $lost"; continue; fi
        if ! grep -q "80,000 increments executed" <<<"$line"; then bad "$name" "increments"; continue; fi
        if [[ $(grep -cE "^    Thread-[0-9]+ \(work\) (loads|stores) [0-9]+ " "$tmp/err") -lt 3 ]]; then
            bad "$name" "no story"; continue
        fi
    elif grep -q "lost updates on" "$tmp/err" && ! grep -q "overwritten" "$tmp/err"; then
        bad "$name" "count line"; continue
    elif grep -q "lost updates on" "$tmp/err" && ! grep -q "estimate" "$tmp/err"; then
        bad "$name" "free-threaded count not called an estimate"; continue
    fi
    ok "$name"
done

# --- no report ---------------------------------------------------------------------------
for mode in "" "--free-threaded" "--preempt=instruction --switch-every=50"; do
    read -ra mf <<<"$mode"
    for script in "$tmp/locked.py" "$root/samples/producer_consumer.py" \
        "$root/samples/sync_primitives.py" "$tmp/event.py" "$tmp/two_globals.py" \
        "$tmp/clean_objects.py"; do
        name="no race: $(basename "$script") ($mode)"
        run "${mf[@]}" --race "$script"
        if [[ $st != 0 ]]; then bad "$name" "status $st"; continue; fi
        if [[ $(count "data race on") != 0 || $(count "lost updates") != 0 ]]; then
            bad "$name" "reported a race"; continue
        fi
        if ! grep -q "^gilvm --race: no data races found" "$tmp/err"; then
            bad "$name" "no summary line"; continue
        fi
        ok "$name"
    done
done

# --- what a race is on ---------------------------------------------------------------
run --free-threaded --race "$tmp/racy_objects.py"
if [[ $(count "data race on attribute 'hits' of a Stats object") == 1 &&
    $(count "data race on item \[0\] of a list") == 1 && $(count "data race on") == 2 ]]; then
    ok "attribute and item races named"
else
    bad "attribute and item races named" "wrong reports"
fi

# --- stdout and status unchanged ------------------------------------------------------------
for script in "$root/samples/sync_primitives.py" "$tmp/locked.py" "$tmp/event.py"; do
    run "$script"
    cp "$tmp/out" "$tmp/plain"
    run --race "$script"
    if cmp -s "$tmp/plain" "$tmp/out"; then
        ok "stdout unchanged: $(basename "$script")"
    else
        bad "stdout unchanged: $(basename "$script")" "differs"
    fi
done
run --free-threaded --race "$tmp/exit3.py"
if [[ $st == 3 && $(count "data race on global 'counter'") == 1 ]] && grep -q '^bye$' "$tmp/out"; then
    ok "sys.exit(3): status kept, report printed"
else
    bad "sys.exit(3): status kept, report printed" "status $st"
fi
run --race "$tmp/event.py"
if [[ $(wc -l <"$tmp/out") == 1 ]] && ! grep -q "race" "$tmp/out"; then
    ok "report on stderr only"
else
    bad "report on stderr only" "stdout has $(wc -l <"$tmp/out") lines"
fi
# Off: no summary line.
run "$tmp/event.py"
if [[ ! -s $tmp/err ]]; then ok "silent without --race"; else bad "silent without --race" "stderr"; fi

printf '%d passed, %d failed\n' "$pass" "$fail"
[[ $fail == 0 ]]
