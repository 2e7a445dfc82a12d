# Thread start and join cost: start N threads that do nothing, then join them.
# Optional argument: N (default 1000). The "timing:" line is the elapsed time
# of the start and join loops only (interpreter start-up excluded).
import sys
import threading
import time


def work():
    pass


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    start = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    print(f"{n} threads started and joined")
    print(f"timing: {elapsed:.4f} s")


main()
