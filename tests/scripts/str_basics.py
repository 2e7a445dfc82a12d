# str repr, operators, comparisons, construction, hashing.
def t(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)

for s in ["", "a", "it's", 'say "hi"', "both ' and \"", "back\\slash", "tab\there\nnl\rcr",
          "\x00\x01\x1f\x7f", "caf\xe9", "\xa0\xad", "\u2028\u3000\u200b\ufeff", "日本語",
          "\U0001F600", "\x85\x9f", "\ue000\uf8ff"]:
    print(repr(s), len(s))
print(str(), str(12), str("x"), str([1, "a"]), str(None), str(3.5), str(object="o"))
t(lambda: str(1, 2, 3, 4))
print("ab" + "cd", "ab" * 3, 3 * "ab", "ab" * 0, "ab" * -2, "" * 5)
t(lambda: "ab" + 1)
t(lambda: 1 + "ab")
t(lambda: "ab" * "c")
t(lambda: "ab" * 2.0)
t(lambda: "a" * (2 ** 62))
t(lambda: "a" * (2 ** 64))
print("a" < "b", "abc" < "abd", "ab" < "abc", "b" > "abc", "é" > "z", "a" == "a", "a" != "a", "A" <= "a", "x" >= "x")
t(lambda: "a" < 1)
print("a" == 1, "1" == 1, "x" in ["x"], sorted(["b", "C", "a", "é", "B"]))
print(hash("abc") == hash("ab" + "c"), hash("") == hash(""), {"a": 1, "b": 2}["b"], "abc".__hash__() == hash("abc"))
d = {}
for i in range(200):
    d["k" + str(i)] = i
print(sum(d.values()), d["k150"], len(set("abracadabra")))
s = "hello"
print(s[0], s[-1], s[1:4], s[:], s[::-1], s[100:], s[-100:2], s.__len__(), s.__getitem__(1), s.__contains__("ll"))
print(s.__add__("!"), s.__mul__(2), s.__rmul__(2), s.__mod__(()), "%s".__mod__(5), s.__eq__(s), s.__lt__(1))
print(s.__iter__().__next__(), list(reversed("abc")), "".join(reversed("héllo")))
x = "abc"
x += "def"
x *= 2
print(x, len(x))
it = iter("ab")
print(next(it), next(it), next(it, "done"), next(it, "done"))
print(max("hello"), min("hello"), sorted("hello"), "-".join(sorted(set("mississippi"))))
print(ord("é"), chr(233), "%c" % 233, "a\u0301".__len__())
