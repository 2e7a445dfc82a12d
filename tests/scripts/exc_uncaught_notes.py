# Notes are printed after the final line (last stderr line is the last note).
e = ValueError('v')
e.add_note('first note')
e.add_note('second note')
raise e
