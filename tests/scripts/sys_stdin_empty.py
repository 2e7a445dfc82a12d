# sys.stdin at end of input (the harness runs with stdin from /dev/null).
import sys
print(repr(sys.stdin.readline()))
print(repr(sys.stdin.read()))
print(sys.stdin.readlines())
for line in sys.stdin:
    print('never', line)
print('done')
