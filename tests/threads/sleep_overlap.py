# Sleeping threads release the GIL, so their sleeps overlap (in every mode).
import threading
import time

start = time.monotonic()
threads = [threading.Thread(target=time.sleep, args=(0.5,)) for _ in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
print("overlapped:", elapsed < 2.5)
