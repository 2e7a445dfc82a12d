# Indentation blocks, comments, implicit line joining, backslash continuation.
# A comment on its own line
x = 1  # trailing comment
if x:
    print("if-block")  # comment after statement
    if x > 0:
            print("deeper indent")   # unusual indentation width
    print("back")
else:
  print("never")

# blank lines and comments between statements inside a block
def f():

    # comment inside a function

    a = 1

    return a + 1
print(f())

# implicit joining inside brackets
lst = [
    1,
    2,  # comment in a list
    3,
]
print(lst)
tot = (1 +
       2 +
       3)
print(tot)
d = {
    "a": 1,
    "b": 2
}
print(d)
print(max(4,
          9,
          2))
s = ("abc"
     "def")   # adjacent string literals concatenate
print(s)

# backslash continuation
y = 1 + \
    2 + \
    3
print(y)
if y == 6 and \
   x == 1:
    print("continued condition")

# semicolons and one-line compound statements
a = 1; b = 2; print(a, b)
if a: print("one-line if")
while a < 3: a += 1
print(a)
for i in range(2): print("loop", i)

def g(): return "one-line def"
print(g())

class C: pass
print(C.__name__)

# tabs are not mixed; nested blocks of varying width
for i in range(3):
    if i % 2 == 0:
        for j in range(2):
          if j:
             print("i", i, "j", j)
    else:
        print("odd", i)

# docstrings are just expressions
def h():
    """docstring"""
    return 5
print(h(), h.__doc__)

# empty-ish constructs
while False:
    pass
for _ in []:
    pass
print("end")
