# float repr/str/format through the VM: shortest repr, exponent switch-over,
# format specs, % formatting, f-strings, round() to n digits.
vals = [0.0, -0.0, 1.0, 0.1, 1/3, 2/3, 1e15, 1e16, 123456789012345678.0, 1e-4, 1e-5,
        5e-324, 1.7976931348623157e308, 3.141592653589793, -2.5, 100.0, 1e22, 1e100,
        float('inf'), float('-inf'), float('nan'), 0.30000000000000004, 9.999999999999999e22]
for v in vals:
    print(repr(v), str(v), format(v, ''), format(v, '.3g'), format(v, '10.2f'), format(v, 'e'))
for spec in ['', '.0f', '.1f', '+.2f', ' .3e', '010.3f', '<10', '^12.4', '>+9.2%', ',.2f', '_.1f',
             'g', 'G', '.10g', '#.0f', 'n', '.2E', 'z.1f', '=+12.3f', '*^15.3e']:
    print(repr(spec), format(12345.678, spec), format(-0.001, spec), format(1e21, spec))
print('%f %.2f %e %g %10.3f %-8.1f| %+.0f %%' % (1.5, 2.345, 12345.678, 0.0001, 3.14159, 2.5, 0.5))
print(f'{2.5:.0f} {3.5:.0f} {0.125:.2f} {1e-7} {1.5e300 * 1e10} {-1e-320}')
print(round(0.5), round(1.5), round(2.5), round(-0.5), round(1.005, 2), round(123.456, -1))
print(round(1e16 + 1, -1), round(5e-324, 323), round(0.1 + 0.2, 15), round(-0.0, 1), round(1.5e-10, 12))
print(str(1e16 - 1), repr(2.0 ** 60), 1e16 == 10**16, float(10**16), float('0.1') * 3)
print([0.1, 0.2], (1.5,), {1.5: 2.5}, {0.5})
