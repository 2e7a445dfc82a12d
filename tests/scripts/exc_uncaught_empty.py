# An exception whose str() is empty prints just the class name.
def f():
    raise RuntimeError
f()
