# Differential stress for float arithmetic: a fixed LCG picks operands (special
# values included); negative bases with fractional exponents are skipped (CPython
# returns a complex, gilvm raises ValueError: a known difference).
seed = 99
def rnd():
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % 2**64
    return seed
def rf():
    k = rnd() % 4
    if k == 0: return (rnd() % 2000 - 1000) / 7
    if k == 1: return float(rnd() % 100 - 50)
    if k == 2: return (rnd() / 2**64 - 0.5) * 10.0 ** (rnd() % 600 - 300)
    return [0.0, -0.0, float('inf'), -float('inf'), 1e308, 5e-324][rnd() % 6]
for i in range(300):
    a, b = rf(), rf()
    out = [a + b, a - b, a * b, a < b, a == b, hash(a)]
    for op in (lambda: a / b, lambda: a // b, lambda: a % b, lambda: divmod(a, b), lambda: a ** b if a >= 0 or b == int(b) else 0, lambda: abs(a) ** (b % 5), lambda: round(a, rnd() % 20 - 10), lambda: a.as_integer_ratio(), lambda: int(a), lambda: round(a)):
        try: out.append(op())
        except Exception as e: out.append(type(e).__name__ + str(e))
    print(repr(out))
