a = []
for i in range(1000000):
    a = [a]
del a
d = {}
for i in range(1000000):
    d = {0: d}
d = None
print(1 // 0)
