# raise SystemExit('bye') prints "bye" to stderr and exits with status 1.
print("before")
raise SystemExit("bye")
