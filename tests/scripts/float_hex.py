# float.hex() and float.fromhex(): exact round trips, subnormals, rounding, errors.
for v in [1.5, -0.1, 0.0, -0.0, 5e-324, 1.7976931348623157e308, 1.0, 2.2250738585072014e-308, float('inf'), float('nan'), 1e-310, 3.0]:
    print(v.hex(), float.fromhex(v.hex()) == v or v != v)
for s in ['0x1.8p1', ' -0X1.8P-1 ', '1.8p1', 'ff', '0x.8', '0x1p-1074', '0x1p-1080', 'inf', '-Infinity', 'nan', '0x1p2000', '', 'x', '0x', '0x1.8p', '1e5', '0x1_0', '0x1.00000000000008p0', '0x1.00000000000018p0', '.', '0x.p1', '+']:
    try: print(repr(float.fromhex(s)))
    except Exception as e: print(type(e).__name__, e)
class F(float): pass
print(type(F.fromhex('0x1p1')).__name__, F.fromhex('0x1p1'), (2.5).fromhex('0x3'))
