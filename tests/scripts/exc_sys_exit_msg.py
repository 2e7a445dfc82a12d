# SystemExit with a string: printed to stderr, exit status 1.
import sys
try:
    sys.exit('bye')
except SystemExit as e:
    print('caught', repr(e.code))
sys.exit('goodbye message')
