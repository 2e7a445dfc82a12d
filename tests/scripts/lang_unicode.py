# str as Unicode text: length in code points, indexing, slicing, methods.
s = 'héllo wörld'
print(s, len(s), s[1], s[7], s[-1], s[1:4], s[::-1], s[::2])
j = '日本語'
print(j, len(j), j[0], j[-1], j[1:], j[::-1], j * 2, list(j))
e = "😀 smile"
print(len(e), e[0], e[2:], repr(e[0]))
print(s.upper(), s.title(), s.capitalize(), "ÉCOLE".lower())
print(s.find('ö'), s.index('w'), s.count('l'), 'ö' in s, 'x' in s)
print(s.split(' '), s.replace('ö', 'o'), s.startswith('hé'), s.endswith('rld'))
print([c for c in 'añb'], ''.join(reversed('añb')))
print(ord('é'), ord('日'), ord('😀'), chr(233), chr(26085), chr(128512), chr(0x41))
print(repr('é'), repr('日本'), repr('\u200b'), repr('\x7f'))
print('é' < 'z', 'é' > 'e', sorted(['é', 'e', 'z', 'a', '日']))
print(j.center(9, '*'), s.ljust(13, '.') + '|', j.rjust(5) + '|')
print(f"{j:>6}|{j:<6}|{j:^7}|")
print('%5s|%-5s|' % ('日本', 'ñ'))
print('{:*^8}'.format('日本'))
print(str(len('\u00e9')), len('e\u0301'), 'e\u0301' == 'é')
t = 'αβγδε'
print(t[1:3], t[-2:], t.index('δ'), t.upper(), t.split('γ'))
words = 'ça va, très bien'.split()
print(words, [len(w) for w in words])
print('%s has %d chars' % (j, len(j)))
print(j + 'abc', 'x'.join(j), j.replace('本', '-'))
print(s.partition(' '), 'a–b'.split('–'))
for ch in 'hé日':
    print(ch, ord(ch))
print(max('héllo'), min('日本語'), 'é'.isalpha(), '日'.isalpha(), '5'.isdigit())
print(hash('a') == hash('a'), 'é' == '\xe9')
