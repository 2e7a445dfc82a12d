# Threads sharing one iterator of each built-in kind: without a GIL each
# iterator's position moves under a lock, so every item comes out exactly
# once (range, tuple, str, dict, set, enumerate and the __getitem__
# iterator); under the GIL the same holds. (A shared enumerate gives every
# index once and every item once; without a GIL which index goes with which
# item is a race in the script.) A dict changed during a shared
# iteration raises RuntimeError in the thread that sees it, as CPython does.
import threading

N = 20000


class Squares:
    def __getitem__(self, i):
        if i >= N:
            raise IndexError(i)
        return i * i


def make():
    return {
        "range": iter(range(N)),
        "tuple": iter(tuple(range(N))),
        "str": iter("".join(chr(0x4E00 + i % 2000) for i in range(N))),
        "dict": iter({i: None for i in range(N)}),
        "dict.items": iter({i: -i for i in range(N)}.items()),
        "set": iter(set(range(N))),
        "enumerate": enumerate(range(N, 2 * N)),
        "getitem": iter(Squares()),
    }


iters = make()
seen = {name: [] for name in iters}


def drain(name):
    out = []
    for x in iters[name]:
        out.append(x)
    seen[name].extend(out)   # list.extend: one operation, one lock


threads = [threading.Thread(target=drain, args=(name,)) for name in iters for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()

expect = {
    "range": list(range(N)),
    "tuple": list(range(N)),
    "str": sorted(chr(0x4E00 + i % 2000) for i in range(N)),
    "dict": list(range(N)),
    "dict.items": [(i, -i) for i in range(N)],
    "set": list(range(N)),
    "enumerate": [(i, N + i) for i in range(N)],
    "getitem": [i * i for i in range(N)],
}
for name in iters:
    got = seen[name]
    if name == "enumerate":
        ok = (sorted(i for i, _ in got) == list(range(N))
              and sorted(x for _, x in got) == list(range(N, 2 * N)))
    else:
        ok = sorted(got) == sorted(expect[name])
    print(name, "every item exactly once:", ok)

# A dict resized under a shared iteration: the error, never a crash.
d = {i: i for i in range(1000)}
it = iter(d)
errors = []


def reader():
    try:
        for _ in it:
            pass
    except RuntimeError as e:
        errors.append(str(e))


def writer():
    for i in range(1000, 3000):
        d[i] = i


ts = [threading.Thread(target=reader), threading.Thread(target=writer)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("only the documented error:",
      set(errors) <= {"dictionary changed size during iteration"})
