# Uncaught RecursionError: the last stderr line is CPython's message.
def down(n):
    return down(n + 1) + 1
print("start")
down(0)
