# Classes: __init__, methods, class attributes, single inheritance, super(), properties,
# staticmethod, classmethod, isinstance/issubclass, __str__/__repr__.
class Animal:
    kind = "animal"
    count = 0
    def __init__(self, name, sound="..."):
        self.name = name
        self.sound = sound
        Animal.count += 1
    def speak(self):
        return self.name + " says " + self.sound
    def describe(self):
        return "%s is a %s" % (self.name, self.kind)
    def __str__(self):
        return "Animal(" + self.name + ")"
    def __repr__(self):
        return "Animal(%r)" % self.name
class Dog(Animal):
    kind = "dog"
    def __init__(self, name, tricks=None):
        super().__init__(name, "woof")
        self.tricks = tricks or []
    def speak(self):
        return super().speak() + "!"
    def __str__(self):
        return "Dog " + self.name
class Puppy(Dog):
    def speak(self):
        return super().speak().upper()
a = Animal("Generic")
d = Dog("Rex", ["sit"])
p = Puppy("Bit")
print(a.speak(), "|", d.speak(), "|", p.speak())
print(a.describe(), "|", d.describe(), "|", p.describe())
print(str(a), str(d), str(p), repr(a), repr(d), [a, d])
print(f"{d} {d!r}", "%s" % d, "{}".format(p))
print(Animal.count, a.count, Dog.count, Animal.kind, Dog.kind, d.kind, p.kind)
d.kind = "good dog"
print(d.kind, Dog.kind, p.kind)
Dog.kind = "canine"
print(p.kind, Puppy.kind)
print(isinstance(d, Dog), isinstance(d, Animal), isinstance(a, Dog), isinstance(p, (int, Dog)), isinstance(d, object))
print(issubclass(Dog, Animal), issubclass(Animal, Dog), issubclass(Puppy, Animal), issubclass(Dog, (int, Animal)), issubclass(Dog, Dog))
print(type(d) is Dog, type(d) == Animal, type(p).__name__, Dog.__name__)
print(isinstance(True, int), isinstance(1, bool), issubclass(bool, int), isinstance("s", str), isinstance(1.0, (int, float)))
# bound methods
m = d.speak
print(m(), Dog.speak(d), Animal.speak(d))
# instance attributes are per-object
class Point:
    dims = 2
    def __init__(self, x=0, y=0):
        self.x = x
        self.y = y
    def move(self, dx, dy):
        self.x += dx
        self.y += dy
        return self
    def dist2(self, other):
        return (self.x - other.x) ** 2 + (self.y - other.y) ** 2
pt = Point(1, 2)
pt.move(2, 3).move(1, 1)
print(pt.x, pt.y, Point().x, pt.dist2(Point()), Point.dims, getattr(pt, "x"), getattr(pt, "z", "none"))
setattr(pt, "z", 9)
print(pt.z, hasattr(pt, "z"), hasattr(Point, "z"), hasattr(Point, "move"))
# properties
class Temp:
    def __init__(self, c):
        self._c = c
    @property
    def celsius(self):
        return self._c
    @celsius.setter
    def celsius(self, v):
        if v < -273.15:
            raise ValueError("too cold")
        self._c = v
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
t = Temp(100)
print(t.celsius, t.fahrenheit)
t.celsius = 0
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("ValueError", e)
try:
    t.fahrenheit = 5
except AttributeError as e:
    print("AttributeError", e)
# staticmethod / classmethod
class Util:
    factor = 3
    @staticmethod
    def double(x):
        return x * 2
    @classmethod
    def triple(cls, x):
        return cls.factor * x
    @classmethod
    def make(cls):
        return cls()
class SubUtil(Util):
    factor = 5
print(Util.double(4), Util().double(5), Util.triple(2), SubUtil.triple(2), SubUtil().triple(1))
print(type(SubUtil.make()).__name__, type(Util.make()).__name__)
# class with class-level mutable shared
class Reg:
    items = []
    def add(self, x):
        self.items.append(x)
r1, r2 = Reg(), Reg()
r1.add(1); r2.add(2)
print(Reg.items, r1.items is r2.items)
# method resolution through multiple levels, overriding and calling base explicitly
class Base:
    def hello(self):
        return "base hello"
    def greet(self):
        return "greet:" + self.hello()
class Mid(Base):
    def hello(self):
        return "mid hello"
class Leaf(Mid):
    pass
print(Leaf().greet(), Base.hello(Leaf()), Leaf.__name__)
# super() in other methods, with arguments
class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
    def deposit(self, amt):
        self.balance += amt
        return self.balance
class Savings(Account):
    def __init__(self, owner, rate):
        super().__init__(owner, 100)
        self.rate = rate
    def deposit(self, amt):
        return super().deposit(amt * (1 + self.rate))
s = Savings("ann", 0.5)
print(s.deposit(10), s.owner, s.balance, isinstance(s, Account))
# object() and basic object behavior
o = object()
print(type(o).__name__, isinstance(o, object), isinstance(Dog, object))
class Plain:
    pass
x = Plain()
y = Plain()
print(x == x, x == y, x != y, bool(x), type(x).__name__)
# class body executes, can use earlier names
class Calc:
    base = 10
    doubled = base * 2
    names = [n for n in ("a", "b")]
print(Calc.doubled, Calc.names)
# __init__ returning and attribute errors
try:
    Point().nothing
except AttributeError as e:
    print("AttributeError", e)
try:
    Point.nothing
except AttributeError as e:
    print("AttributeError", e)
# property with a deleter
class Managed:
    def __init__(self):
        self._v = 0
    @property
    def v(self):
        return self._v
    @v.setter
    def v(self, val):
        self._v = val * 2
    @v.deleter
    def v(self):
        print("deleting v")
        self._v = None
mg = Managed()
mg.v = 3
print(mg.v)
del mg.v
print(mg.v)
# subclassing built-in types
class MyList(list):
    def total(self):
        return sum(self)
ml = MyList([1, 2])
ml.append(3)
print(ml, ml.total(), len(ml), type(ml).__name__, isinstance(ml, list))
class MyInt(int):
    pass
print(MyInt(5) + 1, isinstance(MyInt(5), int), repr(MyInt(7)))
