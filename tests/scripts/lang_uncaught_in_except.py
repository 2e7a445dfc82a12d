# An exception raised inside an except block escapes: last line names the new exception.
def parse(s):
    try:
        return int(s)
    except ValueError:
        return undefined_fallback(s)
print(parse("12"))
print(parse("twelve"))
