#!/usr/bin/env python3
"""tests/check_trace.py FILE [--threads N] [--slice NAME]... [--instant NAME]...

Checks that FILE (written by gilvm --trace) is a well-formed Chrome Trace Event
file: valid JSON; every event has the fields its phase needs; per thread the
timestamps never go back and the B/E slices nest (each E closes the innermost
open B of the same name, nothing left open); every thread has a name. With
--threads, exactly N named threads; with --slice / --instant, at least one
slice / instant event of that name somewhere (a --slice NAME ending in * is
a prefix). Prints what is wrong and exits
1, or exits 0 silently.
"""
import argparse
import json
import sys


def check(path, threads, slices, instants):
    errors = []
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return ["not readable as JSON: %s" % e]
    events = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        return ["no traceEvents list"]
    names = {}        # tid -> thread name
    last_ts = {}      # tid -> last timestamp
    stacks = {}       # tid -> open slice names
    seen_slices, seen_instants = set(), set()
    for n, e in enumerate(events):
        where = "event %d (%s)" % (n, json.dumps(e)[:120])
        if not isinstance(e, dict):
            errors.append("%s: not an object" % where)
            continue
        ph, name = e.get("ph"), e.get("name")
        if ph not in ("B", "E", "i", "M"):
            errors.append("%s: unexpected phase %r" % (where, ph))
            continue
        if not isinstance(name, str) or not isinstance(e.get("pid"), int):
            errors.append("%s: needs a string name and an integer pid" % where)
            continue
        if ph == "M":
            if name == "thread_name":
                if not isinstance(e.get("tid"), int) or not isinstance(
                        e.get("args", {}).get("name"), str):
                    errors.append("%s: thread_name needs tid and args.name" % where)
                else:
                    names[e["tid"]] = e["args"]["name"]
            continue
        tid, ts = e.get("tid"), e.get("ts")
        if not isinstance(tid, int) or not isinstance(ts, (int, float)) or ts < 0:
            errors.append("%s: needs an integer tid and a timestamp >= 0" % where)
            continue
        if ts < last_ts.get(tid, 0):
            errors.append("%s: timestamp goes back (after %s)" % (where, last_ts[tid]))
        last_ts[tid] = ts
        stack = stacks.setdefault(tid, [])
        if ph == "B":
            stack.append(name)
            seen_slices.add(name)
        elif ph == "E":
            if not stack:
                errors.append("%s: E with no open slice" % where)
            elif stack[-1] != name:
                errors.append("%s: E closes %r but %r is open" % (where, name, stack[-1]))
            else:
                stack.pop()
        else:
            if e.get("s") not in ("t", "p", "g"):
                errors.append("%s: instant needs a scope s" % where)
            seen_instants.add(name)
    for tid, stack in stacks.items():
        if stack:
            errors.append("thread %d: slices left open: %s" % (tid, stack))
        if tid not in names:
            errors.append("thread %d has events but no thread_name" % tid)
    if threads is not None and len(names) != threads:
        errors.append("%d named threads, expected %d: %s" % (len(names), threads,
                                                             sorted(names.values())))
    for s in slices:
        if s.endswith("*"):
            found = any(name.startswith(s[:-1]) for name in seen_slices)
        else:
            found = s in seen_slices
        if not found:
            errors.append("no slice named %r (have %s)" % (s, sorted(seen_slices)))
    for s in instants:
        if s not in seen_instants:
            errors.append("no instant named %r (have %s)" % (s, sorted(seen_instants)))
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--slice", action="append", default=[])
    ap.add_argument("--instant", action="append", default=[])
    a = ap.parse_args()
    errors = check(a.file, a.threads, a.slice, a.instant)
    for e in errors[:20]:
        print("check_trace: %s: %s" % (a.file, e))
    if len(errors) > 20:
        print("check_trace: ... %d more" % (len(errors) - 20))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
