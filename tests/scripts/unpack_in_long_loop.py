# Unpacking in a long loop must not use up the C stack (each UNPACK_SEQUENCE
# and UNPACK_EX once leaked its scratch space).
t = (1, 2, 3)
total = 0
for i in range(600000):
    a, b, c = t
    first, *rest = t
    *init, last = [i, i + 1]
    total += a + b + c + first + len(rest) + last - init[0]
print(total)
