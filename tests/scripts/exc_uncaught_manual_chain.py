# Chains built by assigning __cause__/__context__ (including a cycle) print
# oldest first, each exception once.
def make(cls, msg):
    try:
        raise cls(msg)
    except Exception as e:
        return e

a = make(ValueError, 'first')
b = make(TypeError, 'second')
c = make(KeyError, 'third')
b.__context__ = a
c.__cause__ = b
a.__context__ = c      # a cycle: c -> b -> a -> c
print(c.__suppress_context__, b.__suppress_context__)
raise c
