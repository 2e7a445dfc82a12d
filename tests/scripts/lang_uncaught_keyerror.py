# Uncaught KeyError after output; finally blocks still run while unwinding.
def lookup(d, k):
    try:
        return d[k]
    finally:
        print("finally in lookup", k)
d = {"x": 1}
print(lookup(d, "x"))
print(lookup(d, "y"))
