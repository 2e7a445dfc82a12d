#!/usr/bin/env bash
# tests/gil.sh GILVM -- GIL behaviour from the command line, asserted by
# properties that hold in every run (never by timing):
#   default preemption (back-edges and calls): `counter += 1` loses nothing;
#   --preempt=instruction --switch-every=N: updates are lost;
#   GIL models: every preset runs; the ones that switch only at back-edges,
#   calls or jumps never split `counter += 1`; explicit flags override a
#   preset before or after it; --dis marks the preemption points;
#   blocking I/O: output of threads never interleaves inside one line, and
#   input() lets other threads run while it waits;
#   flag validation.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
sample=$root/samples/lost_update.py
pass=0 fail=0
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() { printf 'FAIL %s: %s\n' "$1" "$2"; fail=$((fail + 1)); }

out=$("$gilvm" "$sample" 2>&1)
[[ $out == *"actual 1,000,000  lost 0 "* ]] && ok default-no-loss || bad default-no-loss "$out"

out=$("$gilvm" --gil --preempt=instruction --switch-every=20 "$sample" 2>&1)
if [[ $out =~ lost\ ([0-9,]+) ]] && [[ ${BASH_REMATCH[1]} != 0 ]]; then
    ok instruction-preemption-loses
else
    bad instruction-preemption-loses "$out"
fi

out=$("$gilvm" --preempt=backedge --switch-every=20 "$sample" 2>&1)
[[ $out == *"lost 0 "* ]] && ok backedge-switch-every-no-loss || bad backedge-switch-every-no-loss "$out"

out=$("$gilvm" --switch-interval=0.5 -c 'import sys; print(sys.getswitchinterval())' 2>&1)
[[ $out == "0.0005" ]] && ok switch-interval || bad switch-interval "$out"
out=$("$gilvm" -c 'import sys; sys.setswitchinterval(0.002); print(sys.getswitchinterval(), sys._is_gil_enabled())' 2>&1)
[[ $out == "0.002 True" ]] && ok setswitchinterval || bad setswitchinterval "$out"

# --- GIL models ------------------------------------------------------------------------
# A smaller lost_update: [threads] threads add 1 to a global [n] times each,
# starting together (a Barrier), so that they overlap even when the machine
# is too loaded to start a thread before another one is done.
counter_prog='import sys, threading
T, N = int(sys.argv[1]), int(sys.argv[2])
counter = 0
ready = threading.Barrier(T)
def work():
    global counter
    ready.wait()
    for _ in range(N):
        counter += 1
ts = [threading.Thread(target=work) for _ in range(T)]
for t in ts: t.start()
for t in ts: t.join()
print("lost", T * N - counter)'
lost() {  # lost FLAGS... -- prints the number of lost updates (or the error)
    "$gilvm" "$@" -c "$counter_prog" 4 50000 2>&1
}
# The same, but the threads also spin until all of them have arrived: from
# then on none of them blocks, so under a forced hand-over every N
# instructions the others wait for the GIL whenever the OS lets them run,
# and the hand-overs split some `counter += 1`. The long run is for loaded
# machines: a thread the OS keeps off the CPU is no waiter.
race_prog=${counter_prog/    global counter
    ready.wait()/    global counter, arrived
    ready.wait()
    with lock:
        arrived += 1
    while arrived < T:
        pass}
race_prog=${race_prog/counter = 0/counter = arrived = 0
lock = threading.Lock()}
for m in cpython3.10 cpython3.2 cpython2 micropython ruby; do
    out=$(lost --gil-model=$m)
    [[ $out =~ ^lost\ [0-9]+$ ]] && ok "model-$m-runs" || bad "model-$m-runs" "$out"
done
# Switching only at back-edges and calls (cpython3.10, ruby) or before jumps
# (micropython) never splits LOAD_GLOBAL / BINARY_OP / STORE_GLOBAL.
for m in cpython3.10 micropython ruby; do
    out=$(lost --gil-model=$m)
    [[ $out == "lost 0" ]] && ok "model-$m-exact" || bad "model-$m-exact" "$out"
done
out=$(lost --gil-model=micropython --switch-every-jumps=1 --switch-mode=handover)
[[ $out == "lost 0" ]] && ok model-jumps-handover-exact || bad model-jumps-handover-exact "$out"
# Any instruction boundary with a forced hand-over every 20 instructions loses
# (an explicit --switch-every wins over the preset, before or after it).
loses() {  # loses NAME FLAGS...
    local name=$1
    shift
    local out
    out=$("$gilvm" "$@" -c "$race_prog" 4 250000 2>&1)
    if [[ $out =~ ^lost\ ([0-9]+)$ ]] && ((BASH_REMATCH[1] > 0)); then ok "$name"; else bad "$name" "$out"; fi
}
loses model-cpython3.2-switch-every-loses --gil-model=cpython3.2 --switch-every=20
loses model-flag-before-preset-wins --switch-every=20 --gil-model=cpython3.2
loses model-cpython2-handover-loses --gil-model=cpython2 --switch-mode=handover --switch-every=20
out=$(lost --gil-model=cpython3.2 --switch-every=20 --preempt=backedge)
[[ $out == "lost 0" ]] && ok model-override-preempt || bad model-override-preempt "$out"
out=$(lost --preempt=backedge --switch-every=20 --gil-model=cpython2)
[[ $out == "lost 0" ]] && ok model-override-before || bad model-override-before "$out"

out=$("$gilvm" --gil-model=ruby -c 'import sys; print(sys.getswitchinterval())' 2>&1)
[[ $out == "0.1" ]] && ok model-ruby-interval || bad model-ruby-interval "$out"
out=$("$gilvm" --gil-model=cpython2 -c 'import sys; print(sys.getswitchinterval())' 2>&1)
[[ $out == "0.0" ]] && ok model-interval-off || bad model-interval-off "$out"
out=$("$gilvm" --gil-model=ruby --switch-interval=2 -c 'import sys; print(sys.getswitchinterval())' 2>&1)
[[ $out == "0.002" ]] && ok model-interval-override || bad model-interval-override "$out"

st=0
err=$("$gilvm" --gil-model=cpython4 -c pass 2>&1 >/dev/null) || st=$?
if [[ $st == 2 && $err == *"--gil-model"*"cpython3.10, cpython3.2, cpython2, micropython, ruby"*"cpython4"* ]]; then
    ok model-bad-name
else
    bad model-bad-name "status $st: $err"
fi
help=$("$gilvm" --help)
for m in cpython3.10 cpython3.2 cpython2 micropython ruby; do
    [[ $help =~ $'\n'"  $m"\ +--switch-interval= ]] && ok "help-$m" || bad "help-$m" "no flags line for $m"
done

# --- --dis marks ----------------------------------------------------------------------
dis_prog='counter = 0
def work(n):
    global counter
    for _ in range(n):
        counter += 1
    if counter > 5:
        print(counter)'
dis_line() {  # dis_line FLAGS... -- the disassembly, squeezed
    "$gilvm" --dis "$@" -c "$dis_prog" 2>&1 | tr -s ' '
}
marks() {  # marks FLAGS... -- "* NAME" or "- NAME" per instruction of `work` (fixed columns)
    "$gilvm" --dis "$@" -c "$dis_prog" 2>&1 |
        awk '/^Disassembly of <code object work/ { w = 1; next }
             w && substr($0, 18) ~ /^[A-Z][A-Z_]+/ { split(substr($0, 18), a, " ")
                                                     print (substr($0, 6, 1) == "*" ? "*" : "-"), a[1] }'
}
out=$(dis_line)
[[ $out != *"#"* && $out != *"*"* ]] && ok dis-plain-unmarked || bad dis-plain-unmarked "$out"
legend=$(dis_line --gil-model=cpython3.10 | head -1)
m=$(marks --gil-model=cpython3.10 | sort -u | tr '\n' ' ')
if [[ $legend == "# GIL model cpython3.10 ("*"* = "* &&
      $m == "* CALL * JUMP_BACKWARD - BINARY_OP - COMPARE_OP - FOR_ITER - GET_ITER - LOAD_CONST - LOAD_FAST - LOAD_GLOBAL - POP_JUMP_IF_FALSE - POP_TOP - PUSH_NULL - RETURN_VALUE - STORE_FAST - STORE_GLOBAL " ]]; then
    ok dis-marks-backedge
else
    bad dis-marks-backedge "$legend / $m"
fi
legend=$(dis_line --preempt=instruction | head -1)
m=$(marks --preempt=instruction | cut -c1 | sort -u | tr -d '\n')
[[ $legend == "# GIL model cpython3.2 ("* && $m == "*" ]] && ok dis-marks-instruction \
    || bad dis-marks-instruction "$legend / $m"
legend=$(dis_line --gil-model=micropython | head -1)
m=$(marks --gil-model=micropython | grep '^\*' | sort -u | tr '\n' ' ')
[[ $legend == *"32nd jump"* && $m == "* JUMP_BACKWARD * POP_JUMP_IF_FALSE " ]] && ok dis-marks-jumps \
    || bad dis-marks-jumps "$legend / $m"
legend=$(dis_line --switch-interval=off | head -1)
m=$(marks --switch-interval=off | grep -c '^\*')
[[ $legend == *"nothing marked"* && $m == 0 ]] && ok dis-marks-none || bad dis-marks-none "$legend / $m"
# The list behind the back-edge marks is the list of handlers that check the
# eval breaker in vm/interp.c.
listed=$(grep -o 'define GIL_MODEL_BACKEDGE_OPS(X, a).*' "$root/vm/gil_model.h" \
         | grep -oE 'X\([A-Z_]+, a\)' | sed -E 's/X\(([A-Z_]+), a\)/\1/' | sort -u | tr '\n' ' ')
checked=$(awk '/^    TARGET\([A-Z_]+\)/ { match($0, /TARGET\([A-Z_]+\)/); op = substr($0, RSTART + 7, RLENGTH - 8) }
               /CHECK_EVAL_BREAKER\(\);/ && op != "" { print op }' "$root/vm/interp.c" | sort -u | tr '\n' ' ')
[[ -n $listed && $listed == "$checked" ]] && ok backedge-ops-match-interp \
    || bad backedge-ops-match-interp "gil_model.h: $listed; interp.c: $checked"

# --- blocking I/O ---------------------------------------------------------------------
# Eight threads write lines of up to ~7 KB through print, sys.stdout.write and
# sys.stderr.write; every line must arrive whole.
io_prog='import sys, threading
def work(i):
    for k in range(200):
        if k % 3 == 0:
            print("T%d" % i, k, "x" * (i * 1000 + 10))
        elif k % 3 == 1:
            sys.stdout.write("T%d %d %s\n" % (i, k, "y" * 100))
        else:
            print("T%d" % i, k, "z" * 50, flush=True)
        sys.stderr.write("E%d %d %s\n" % (i, k, "e" * (i * 500 + 1)))
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
st=0
"$gilvm" -c "$io_prog" >"$tmp/out" 2>"$tmp/err" || st=$?
bad_out=$(awk '{ i = substr($1, 2) + 0; c = substr($3, 1, 1)
                 ok = ($1 ~ /^T[0-7]$/ && $2 ~ /^[0-9]+$/ && NF == 3 && $3 ~ /^(x+|y+|z+)$/)
                 if (ok && c == "x") ok = length($3) == i * 1000 + 10
                 if (ok && c == "y") ok = length($3) == 100
                 if (ok && c == "z") ok = length($3) == 50
                 if (!ok) bad++; n[$1]++ }
               END { for (t in n) if (n[t] != 200) bad++; if (length(n) != 8) bad++; print bad + 0 }' "$tmp/out")
bad_err=$(awk '{ i = substr($1, 2) + 0
                 if (!($1 ~ /^E[0-7]$/ && NF == 3 && $3 ~ /^e+$/ && length($3) == i * 500 + 1)) bad++
                 n[$1]++ }
               END { for (t in n) if (n[t] != 200) bad++; if (length(n) != 8) bad++; print bad + 0 }' "$tmp/err")
if [[ $st == 0 && $bad_out == 0 && $bad_err == 0 ]]; then
    ok output-lines-whole
else
    bad output-lines-whole "status $st, $bad_out bad stdout lines, $bad_err bad stderr lines"
fi

# input() releases the GIL: the worker can only print while main waits in
# input() if input() let go of the GIL; the line is sent only after that.
coproc GV { timeout 30 "$gilvm" -c 'import threading, time
def worker():
    time.sleep(0.2)
    print("worker ran", flush=True)
t = threading.Thread(target=worker)
t.start()
line = input()
t.join()
print("got", line, flush=True)' 2>&1; }
first='' second=''
read -r -t 30 first <&"${GV[0]}" || true
[[ $first == "worker ran" ]] && printf 'hello\n' >&"${GV[1]}"
read -r -t 30 second <&"${GV[0]}" || true
wait "$GV_PID" 2>/dev/null || true
[[ $first == "worker ran" && $second == "got hello" ]] && ok input-releases-gil \
    || bad input-releases-gil "first '$first', second '$second'"

# --- free-threaded (when this build has it) ---------------------------------------------
if "$gilvm" --free-threaded -c pass >/dev/null 2>&1; then
    out=$("$gilvm" --free-threaded -c 'import sys; print(sys._is_gil_enabled())' 2>&1)
    [[ $out == "False" ]] && ok free-threaded-no-gil || bad free-threaded-no-gil "$out"
    err=$("$gilvm" --free-threaded --gil-model=ruby -c pass 2>&1 >/dev/null)
    [[ $err == *"warning"*"--gil-model"*"--free-threaded"* && $(wc -l <<<"$err") == 1 ]] \
        && ok free-threaded-model-warning || bad free-threaded-model-warning "$err"
    err=$("$gilvm" --free-threaded -c pass 2>&1 >/dev/null)
    [[ -z $err ]] && ok free-threaded-no-warning || bad free-threaded-no-warning "$err"
fi

for args in "--preempt=sometimes" "--switch-every=0" "--switch-every=x" "--switch-interval=-1" \
            "--switch-every-jumps=0" "--switch-mode=sometimes" "--switch-interval=of" "--gil-model="; do
    st=0
    err=$("$gilvm" $args -c 'pass' 2>&1 >/dev/null) || st=$?
    if [[ $st == 2 && $err == *"${args%%=*}"* ]]; then ok "usage $args"; else bad "usage $args" "status $st: $err"; fi
done

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
