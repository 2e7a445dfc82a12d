# f-strings: conversions, format specs, nesting, self-documenting.
x = 1234567
t = 3.14159
s = "hi"
n = 42
v = 0.256
w = 10
print(f"{x}")
print(f"{x:,}")
print(f"{t:.2f}")
print(f"{s!r}")
print(f"{s!s}")
print(f"{'é'!a}")
print(f"[{n:>8}]")
print(f"[{n:<8}]")
print(f"[{n:^8}]")
print(f"[{n:*^9}]")
print(f"{t:08.3f}")
print(f"{v:.1%}")
print(f"{n:x} {n:X} {n:o} {n:b} {n:#x} {n:#b} {n:#o}")
print(f"[{x:>{w}}]")
print(f"[{t:{w}.{2}f}]")
print(f"{x=}")
print(f"{x = }")
print(f"{s=!r} {t=:.1f}")
print(f"{n + 1}")
print(f"{[1, 2][0]}")
print(f"{'nested'}")
print(f"{{literal braces}} {n}")
print(f"{s:>5}|{s:<5}|{s:^6}|")
print(f"{-n:+d} {n:+d} {n: d} {-n:05d}")
print(f"{1e10:e} {12345.678:g} {0.0001:g} {1.5:E}")
print(f"{x:_} {x:_x}")
print(f"{3:03}")
print(f"{True} {None} {[1, 'a']} {(1,)} {{'k': 1}}")
print(f"{ {'k': 1} }")
print(f"{1.0} {0.1 + 0.2} {1/3:.5}")
print(f"{'abc':.2}")
print(f"{n!r:>6}")
print(f"{s!r:>6}")
name = "world"
print(f"hello {name}, len={len(name)}, upper={name.upper()}")
print(f"{'a' if n > 0 else 'b'}")
print(F"capital F {n}")
print(rf"raw \n {n}", fr"{s}\t")
print(f"""triple {n}
second line {s}""")
print(f"{t:.0f} {2.5:.0f} {3.5:.0f} {-0.5:.0f}")
print(f"{123.456:10.2f}|{123.456:<10.2f}|")
print(f"{1234567.891:,.2f}")
print(f"{0:08b}")
print(f"{255:#010x}")
d = {"key": "val"}
print(f"{d['key']}")
items = [1, 2, 3]
print(f"{sum(items)} {len(items)} {items[-1]}")
print(f"{format(42, 'x')}")
print(format(3.14159, ".3f"), format("s", ">3"), format(1234, ","))
