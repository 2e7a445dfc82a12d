# SystemExit with a code: no traceback, exit status from the code.
import sys
print('exiting')
sys.exit(3)
