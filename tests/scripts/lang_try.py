# try/except/else/finally control flow, including return/break/continue in try and finally,
# nested try, exceptions in except and finally handlers.
def t1(x):
    try:
        r = 10 / x
    except ZeroDivisionError:
        print("  except")
        return "div0"
    else:
        print("  else")
        return r
    finally:
        print("  finally")
print(t1(2))
print(t1(0))
def finally_overrides():
    try:
        return "try"
    finally:
        return "finally"
print(finally_overrides())
def finally_swallows():
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"
print(finally_swallows())
def return_value_evaluated_before_finally():
    x = 1
    try:
        return x
    finally:
        x = 2
        print("  finally sets x =", x)
print(return_value_evaluated_before_finally())
# break/continue inside try and finally
for i in range(4):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("body", i)
    finally:
        print("finally", i)
def break_in_finally():
    for i in range(3):
        try:
            raise ValueError(i)
        finally:
            break
    return "broke out, exception discarded"
print(break_in_finally())
def continue_in_finally():
    out = []
    for i in range(3):
        try:
            if i == 1:
                raise KeyError(i)
            out.append(i)
        finally:
            continue
    return out
print(continue_in_finally())
# while loop with try/else
n = 0
while n < 3:
    try:
        n += 1
        if n == 2:
            raise IndexError
    except IndexError:
        print("caught at", n)
    else:
        print("no error at", n)
# nested try
def nested(kind):
    try:
        try:
            if kind == "v":
                raise ValueError("inner v")
            if kind == "k":
                raise KeyError("inner k")
            print("  no error")
        except ValueError as e:
            print("  inner caught", e)
        finally:
            print("  inner finally")
        print("  after inner")
    except KeyError as e:
        print("  outer caught", repr(e))
    finally:
        print("  outer finally")
for k in ("v", "k", "-"):
    print("nested", k)
    nested(k)
# exception inside except handler
try:
    try:
        1 / 0
    except ZeroDivisionError:
        [][0]
except IndexError as e:
    print("IndexError from handler:", e, "| context:", repr(e.__context__))
# exception inside finally replaces the original
try:
    try:
        raise ValueError("original")
    finally:
        raise TypeError("from finally")
except TypeError as e:
    print("TypeError", e, "| context:", repr(e.__context__))
except ValueError:
    print("not reached")
# bare except and re-raise
try:
    try:
        raise NameError("x")
    except:
        print("bare except")
        raise
except NameError as e:
    print("re-raised", repr(e))
# except with a tuple and order of clauses
def which(exc):
    try:
        raise exc
    except (KeyError, IndexError) as e:
        return "lookup-specific " + type(e).__name__
    except LookupError:
        return "lookup"
    except ArithmeticError as e:
        return "arith " + type(e).__name__
    except Exception as e:
        return "other " + type(e).__name__
for exc in (KeyError, IndexError, LookupError, ZeroDivisionError, OverflowError, ValueError("v")):
    print(which(exc))
# the 'as' name is unbound after the except block
try:
    raise ValueError("bound")
except ValueError as err:
    print("inside:", err)
try:
    err
except NameError as e:
    print("after except:", e)
# try/finally without except propagates after running finally
def propagate():
    try:
        raise RuntimeError("propagating")
    finally:
        print("  cleanup runs")
try:
    propagate()
except RuntimeError as e:
    print("caught", e)
# exceptions crossing function frames
def level3():
    raise KeyError("deep")
def level2():
    try:
        level3()
    finally:
        print("  level2 finally")
def level1():
    try:
        level2()
    except KeyError as e:
        return "level1 caught " + repr(e)
print(level1())
# try in a loop with else and finally ordering
for i in range(2):
    try:
        print("try", i)
    except Exception:
        print("never")
    else:
        print("else", i)
    finally:
        print("finally", i)
# return in try inside loop with finally
def loop_ret():
    for i in range(5):
        try:
            if i == 2:
                return i
        finally:
            print("  fin", i)
print(loop_ret())
# raise an exception class (instantiated implicitly) and an instance
try:
    raise ValueError
except ValueError as e:
    print(repr(e), e.args)
try:
    raise ValueError("a", 1)
except ValueError as e:
    print(repr(e), e.args, str(e))
# sys.exc_info-free: exception object survives after handler if saved
saved = None
try:
    {}["missing"]
except KeyError as e:
    saved = e
print(repr(saved), saved.args, str(saved))
