x = "café ÿþ"
print(x)
