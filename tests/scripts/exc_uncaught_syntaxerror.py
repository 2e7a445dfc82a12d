# A SyntaxError instance raised by hand prints its own file/line/caret block.
print('start')
raise SyntaxError('bad thing here', ('f.py', 3, 5, 'x = = 1\n', 3, 6))
