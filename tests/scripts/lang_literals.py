# Literals: int, float, str, bool, None.
print(0, 7, -7, 1_000_000, 0x_ff, 0xFF, 0o17, 0O17, 0b1010, 0B11, 0b_1_0)
print(0xdead_beef, 0o777, 0b1111_0000, 1_2_3)
print(00, 0_0)
print(123456789012345678901234567890)
print(1.5, 1., .5, 1e3, 1E3, 1e-3, 2.5e+2, 1_000.000_1, 0.0, -0.0)
print(3.14e10, 1e22, 1e23, 1e-5, 1e-4, 123456789.123)
print(float("inf"), float("-inf"), float("nan"), float("  1.5  "), float("1e5"))
print(float("Infinity"), float("-iNF"), float("NaN") != float("nan"))
print(type(1), type(1.0), type("s"), type(True), type(None))
print('single', "double", '''triple
single''', """triple
double""")
print('it\'s', "say \"hi\"", 'mixed "q"', "mixed 'q'")
print("tab\tnew\\nline", "a\nb")
print(repr("\x41\101\u00e9\U0001F600\0"))
print(repr("\a\b\f\v\r"), len("\a\b\f\v\r"))
print(r"raw\n\t", R"raw\\", r'c:\path\to', len(r"\n"))
print(repr(r"\x41"), repr('\\'), repr("'"), repr('"'), repr("'\""))
print("a" "b" 'c', 'x' """y""")
print(True, False, None, True + True, False * 3, not None)
print(repr(True), repr(None), str(False))
print(True == 1, False == 0, None is None, type(None).__name__)
print(1 if True else 2, int(True), float(False))
print("line1\
 continued")
print("""Multi
  line
    string""")
print(len(""), len(''), len(""""""), repr(''))
