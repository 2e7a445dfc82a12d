# io_bound.py -- five "downloads" that each wait 0.3 s, one after another and
# then in five threads.
#
# Run:    scripts/run samples/io_bound.py
# Expect: sequential about 1.5 s, threaded about 0.3 s, in every mode.
# Why:    a thread that waits (sleep, I/O, a lock) releases the GIL, so the
#         waits overlap even though only one thread runs bytecode at a time.
import threading
import time

DOWNLOADS = 5
DELAY = 0.3


def download(i, results):
    time.sleep(DELAY)          # stands for network I/O
    results[i] = f"page {i}"


def main():
    results = [None] * DOWNLOADS
    start = time.perf_counter()
    for i in range(DOWNLOADS):
        download(i, results)
    sequential = time.perf_counter() - start

    results = [None] * DOWNLOADS
    start = time.perf_counter()
    threads = [threading.Thread(target=download, args=(i, results)) for i in range(DOWNLOADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    threaded = time.perf_counter() - start
    print(results)
    print(f"sequential {sequential:.2f} s, threaded {threaded:.2f} s")
    print("overlapped:", threaded < sequential / 2)


if __name__ == "__main__":
    main()
