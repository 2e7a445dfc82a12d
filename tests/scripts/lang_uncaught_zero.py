# Uncaught ZeroDivisionError raised deep in a call chain: exit status 1,
# traceback on stderr ending in "ZeroDivisionError: division by zero".
def divide(a, b):
    return a / b
def average(values):
    return divide(sum(values), len(values))
def report(values):
    print("average of", values)
    print(average(values))
report([1, 2, 3])
report([])
print("never printed")
