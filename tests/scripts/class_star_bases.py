# A class statement with *bases and **keywords goes through the general call path.
bases = (object,)
class A(*bases, metaclass=type): pass
class B(A, **{}): x = 1
print(B.__mro__[1:], B.x)
print(max(*[3, 1, 2]), dict(**{"a": 1}, b=2))
