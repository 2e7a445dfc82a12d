# Threads sharing one iterator and one generator: a race in the script, never
# a crash in the VM. Every item comes out (a shared list iterator may hand
# the same item to two threads without a GIL); a generator resumed by one
# thread while another runs it raises "generator already executing".
import threading

work = iter(list(range(50000)))
done = []


def drain():
    for x in work:
        done.append(x)


def numbers():
    i = 0
    while True:
        yield i
        i += 1


gen = numbers()
got = []
errors = []


def pull():
    for _ in range(10000):
        try:
            got.append(next(gen))
        except ValueError as e:
            errors.append(str(e))


threads = [threading.Thread(target=drain) for _ in range(4)]
threads += [threading.Thread(target=pull) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("every work item seen:", sorted(set(done)) == list(range(50000)))
print("every pull accounted for:", len(got) + len(errors) == 40000)
print("no value yielded twice:", len(set(got)) == len(got))
print("only the documented error:", set(errors) <= {"generator already executing"})
