# Methods of str, list, dict and set commonly used in lessons.
s = "  Hello, World  "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()), repr("xxhixx".strip("x")), repr("abc".strip("ac")))
print(s.lower(), s.upper(), "hello world".title(), "hello".capitalize(), "HeLLo".swapcase())
print("a,b,,c".split(","), "a b  c".split(), " a b ".split(" "), "a-b-c".split("-", 1), "abc".split("z"), "".split())
print("a,b,c".rsplit(",", 1), "line1\nline2\n".splitlines(), "x\ny".splitlines())
print("-".join(["a", "b"]), "".join("xyz"), ", ".join(str(i) for i in range(3)), "".join([]))
print("hello".replace("l", "L"), "hello".replace("l", "L", 1), "aaa".replace("a", "bb"), "abc".replace("", "-"))
print("hello".find("l"), "hello".find("z"), "hello".rfind("l"), "hello".index("e"), "hello".rindex("l"), "hello".find("l", 3))
print("hello".count("l"), "aaaa".count("aa"), "abc".count(""), "hello".startswith("he"), "hello".endswith(("x", "lo")))
print("abc".isalpha(), "ab1".isalpha(), "123".isdigit(), "12a".isdigit(), "abc1".isalnum(), "  ".isspace(), "".isspace())
print("abc".islower(), "ABC".isupper(), "Abc".islower(), "Title Case".istitle(), "123".isnumeric(), "1.5".isdecimal())
print("ab".center(6, "*"), "ab".ljust(5, ".") + "|", "ab".rjust(5) + "|", "42".zfill(5), "-42".zfill(6), "ab".center(7))
print("a=b=c".partition("="), "a=b=c".rpartition("="), "abc".partition("x"))
print("x".join("abc"), "%s" % "abc"[::-1], "Hello"[0].lower() + "Hello"[1:])
print("tab\tsep".expandtabs(4), "hello world".split("o"), "ab" * 3, "a" in "cat", "abc" < "abd")
print("hello {}".format("x"), "abc".removeprefix("a"), "abc".removesuffix("c"))
# list methods
l = [5, 3, 8]
l.append(1); print(l)
l.extend((9, 0)); print(l)
l.insert(1, 7); print(l)
l.insert(-1, 6); print(l)
l.insert(100, 99); print(l)
print(l.pop(), l.pop(0), l.pop(-2), l)
l.remove(8); print(l)
print(l.index(7), l.index(9, 1), l.count(3), l.count(42))
l.sort(); print(l)
l.sort(reverse=True); print(l)
l.sort(key=lambda v: v % 3); print(l)
l.reverse(); print(l)
c = l.copy(); c.append("new"); print(l, c)
c.clear(); print(c)
words = ["banana", "Apple", "cherry"]
words.sort(key=str.lower); print(words)
words.sort(key=len); print(words)
nested = [[3, "c"], [1, "a"], [2, "b"]]
nested.sort(); print(nested)
stack = []
stack.append(1); stack.append(2); print(stack.pop(), stack)
queue = [1, 2, 3]
print(queue.pop(0), queue)
# dict methods
d = {"a": 1, "b": 2}
print(d.keys(), d.values(), d.items())
print(list(d.keys()), sorted(d.values()), [k + str(v) for k, v in d.items()])
print(d.get("a"), d.get("x"), d.get("x", 0), d.setdefault("c", 3), d.setdefault("a", 100), d)
d.update(b=20, e=5); print(d)
d.update({"a": 0}); print(d)
print(d.pop("e"), d.pop("nope", None), d)
print(d.popitem(), d)
cp = d.copy(); cp["z"] = 26; print(d, cp)
print("a" in d.keys(), 20 in d.values(), ("a", 0) in d.items())
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
groups = {}
for w in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups.setdefault(w[0], []).append(w)
print(groups)
inv = {v: k for k, v in {"x": 1, "y": 2}.items()}
print(inv, dict.fromkeys("ab"), dict.fromkeys([1, 2], "v"))
d.clear(); print(d, len(d))
keys_view = {"p": 1}.keys()
print(len(keys_view), list(keys_view), "p" in keys_view)
# set methods (ints only)
st = {1, 2, 3}
st.add(4); st.add(2); print(st)
st.remove(1); st.discard(10); print(st)
print(st.pop(), st)
st.update([7, 8], {9}); print(st)
print(st.union({100}), st.intersection({7, 8, 50}), st.difference({7}), st.symmetric_difference({3, 50}))
print(st.issubset({2, 3, 4, 7, 8, 9, 10}), st.issuperset({7, 8}), st.isdisjoint({0}), {1, 2}.isdisjoint({2}))
cp = st.copy(); cp.clear(); print(cp, st)
a = {1, 2, 3}
a |= {4}; print(a)
a &= {2, 3, 4}; print(a)
a -= {2}; print(a)
a ^= {3, 9}; print(a)
a.intersection_update({4, 9, 10}); print(a)
a.difference_update({4}); print(a)
print(sorted({3, -1, 2}), len({1, 1, 1}), {1, 2} == {2, 1}, {1} != {1, 2})
