# Two threads rebind a global to fresh objects (each old one is freed once nobody
# holds it) while two others read it: a reader always gets a live Box, never freed
# memory (free-threaded, the per-thread LOAD_GLOBAL cache owns what it caches).
import threading
class Box:
    def __init__(self, v):
        self.v = v
current = Box(0)
stop = False
bad = []
def writer(k):
    global current
    for i in range(20000):
        current = Box(i * 10 + k)     # the old Box is freed when nobody holds it
def reader():
    n = 0
    while not stop:
        b = current
        if not isinstance(b, Box):
            bad.append(b)
        n += b.v >= 0
ws = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
rs = [threading.Thread(target=reader) for _ in range(2)]
for t in rs + ws: t.start()
for t in ws: t.join()
stop = True
for t in rs: t.join()
print("readers saw only boxes:", not bad)
