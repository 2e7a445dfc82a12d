# An exception in a thread prints "Exception in thread NAME:" and a
# traceback; the program goes on. Starting twice is a RuntimeError.
import threading


def boom():
    raise ValueError("bad thing")


t = threading.Thread(target=boom, name="worker")
t.start()
t.join()
print("still running", t.is_alive())
try:
    t.start()
except RuntimeError as e:
    print("RuntimeError", e)
u = threading.Thread(target=print, args=("hello from", "a thread"))
try:
    u.join()
except RuntimeError as e:
    print("RuntimeError", e)
u.start()
u.join()


class Worker(threading.Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.result = None

    def run(self):
        self.result = sum(range(self.n))


w = Worker(1000)
w.start()
w.join()
print("subclass result", w.result)
raise KeyError("end")
