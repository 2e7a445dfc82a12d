# input() at end of input (stdin is /dev/null in the test harness).
try:
    input('prompt> ')
except EOFError as e:
    print()
    print('EOFError:', e)
