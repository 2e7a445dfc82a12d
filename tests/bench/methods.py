# Method calls and attribute updates on instances of a small class: 3,000,000 method
# calls (two per iteration) with attribute reads and writes.
# Optional argument: scale (default 1.0).
import sys


class Particle:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.moves = 0

    def step(self, dx, dy):
        self.x = (self.x + dx) % 1000
        self.y = (self.y + dy) % 1000
        self.moves += 1

    def distance(self):
        return abs(self.x - 500) + abs(self.y - 500)


def main():
    scale = 1.0
    if len(sys.argv) > 1:
        scale = float(sys.argv[1])
    n = int(1500000 * scale)
    a = Particle(1, 2)
    b = Particle(999, 3)
    total = 0
    for i in range(n):
        if i % 2 == 0:
            a.step(7, i % 13)
            total += a.distance()
        else:
            b.step(i % 11, 5)
            total += b.distance()
    print("moves:", a.moves, b.moves, "pos:", a.x, a.y, b.x, b.y, "total:", total)


main()
