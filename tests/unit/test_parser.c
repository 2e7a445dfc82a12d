// test_parser.c -- cmocka suite for parser.c and ast_dump.c.
//
// Trees are checked through ast_dump(), whose output is Python 3.11's
// ast.dump(); the expected strings below were produced by python3 itself.
// Error cases carry CPython 3.11's message, line and offset.
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "ast.h"
#include "parser.h"

typedef enum Mode { MODE_EXEC, MODE_SINGLE, MODE_EVAL } Mode;

// Parse [src] and return a malloc'd dump or "Kind: msg @line:col".
static char *run(Mode mode, const char *src, size_t len) {
    Arena a;
    arena_init(&a);
    ParseError err;
    Node *n = mode == MODE_EXEC     ? parse_module(&a, src, len, &err)
              : mode == MODE_SINGLE ? parse_interactive(&a, src, len, &err)
                                    : parse_expression(&a, src, len, &err);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (n) ast_dump(n, f);
    else fprintf(f, "%s: %s @%d:%d", err.kind, err.msg, err.line, err.col);
    fclose(f);
    arena_free(&a);
    return buf;
}

static char *dump_of(const char *src) { return run(MODE_EXEC, src, strlen(src)); }

#define ASSERT_DUMP(src, expected)              \
    do {                                        \
        char *got_ = dump_of(src);              \
        assert_string_equal(got_, expected);    \
        free(got_);                             \
    } while (0)

// -- every statement and expression kind, against python3's ast.dump

static const struct { const char *src, *dump; } DUMP_CASES[] = {
    {"x = 1",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], type_ignores=[])"},
    {"a = b = c",
     "Module(body=[Assign(targets=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], value=Name(id='c', ctx=Load()))], type_ignores=[])"},
    {"x += 1",
     "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=Add(), value=Constant(value=1))], type_ignores=[])"},
    {"x: int = 1",
     "Module(body=[AnnAssign(target=Name(id='x', ctx=Store()), annotation=Name(id='int', ctx=Load()), value=Constant(value=1), simple=1)], type_ignores=[])"},
    {"(x): int",
     "Module(body=[AnnAssign(target=Name(id='x', ctx=Store()), annotation=Name(id='int', ctx=Load()), simple=0)], type_ignores=[])"},
    {"a.b: int",
     "Module(body=[AnnAssign(target=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Store()), annotation=Name(id='int', ctx=Load()), simple=0)], type_ignores=[])"},
    {"x **= 2",
     "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=Pow(), value=Constant(value=2))], type_ignores=[])"},
    {"x //= 3",
     "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=FloorDiv(), value=Constant(value=3))], type_ignores=[])"},
    {"m @= n",
     "Module(body=[AugAssign(target=Name(id='m', ctx=Store()), op=MatMult(), value=Name(id='n', ctx=Load()))], type_ignores=[])"},
    {"del a, b[0], c.d",
     "Module(body=[Delete(targets=[Name(id='a', ctx=Del()), Subscript(value=Name(id='b', ctx=Load()), slice=Constant(value=0), ctx=Del()), Attribute(value=Name(id='c', ctx=Load()), attr='d', ctx=Del())])], type_ignores=[])"},
    {"del (a, b)",
     "Module(body=[Delete(targets=[Tuple(elts=[Name(id='a', ctx=Del()), Name(id='b', ctx=Del())], ctx=Del())])], type_ignores=[])"},
    {"pass",
     "Module(body=[Pass()], type_ignores=[])"},
    {"for x in y:\n    break\nelse:\n    pass",
     "Module(body=[For(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), body=[Break()], orelse=[Pass()])], type_ignores=[])"},
    {"while x:\n    pass\nelse:\n    pass",
     "Module(body=[While(test=Name(id='x', ctx=Load()), body=[Pass()], orelse=[Pass()])], type_ignores=[])"},
    {"if a:\n    pass\nelif b:\n    pass\nelse:\n    pass",
     "Module(body=[If(test=Name(id='a', ctx=Load()), body=[Pass()], orelse=[If(test=Name(id='b', ctx=Load()), body=[Pass()], orelse=[Pass()])])], type_ignores=[])"},
    {"with a as b, c:\n    pass",
     "Module(body=[With(items=[withitem(context_expr=Name(id='a', ctx=Load()), optional_vars=Name(id='b', ctx=Store())), withitem(context_expr=Name(id='c', ctx=Load()))], body=[Pass()])], type_ignores=[])"},
    {"with (a as b, c as d):\n    pass",
     "Module(body=[With(items=[withitem(context_expr=Name(id='a', ctx=Load()), optional_vars=Name(id='b', ctx=Store())), withitem(context_expr=Name(id='c', ctx=Load()), optional_vars=Name(id='d', ctx=Store()))], body=[Pass()])], type_ignores=[])"},
    {"with (a, b):\n    pass",
     "Module(body=[With(items=[withitem(context_expr=Name(id='a', ctx=Load())), withitem(context_expr=Name(id='b', ctx=Load()))], body=[Pass()])], type_ignores=[])"},
    {"raise",
     "Module(body=[Raise()], type_ignores=[])"},
    {"raise E from e",
     "Module(body=[Raise(exc=Name(id='E', ctx=Load()), cause=Name(id='e', ctx=Load()))], type_ignores=[])"},
    {"try:\n    pass\nexcept E as e:\n    pass\nexcept:\n    pass\nelse:\n    pass\nfinally:\n    pass",
     "Module(body=[Try(body=[Pass()], handlers=[ExceptHandler(type=Name(id='E', ctx=Load()), name='e', body=[Pass()]), ExceptHandler(body=[Pass()])], orelse=[Pass()], finalbody=[Pass()])], type_ignores=[])"},
    {"assert x, 'msg'",
     "Module(body=[Assert(test=Name(id='x', ctx=Load()), msg=Constant(value='msg'))], type_ignores=[])"},
    {"import a.b.c as d, e",
     "Module(body=[Import(names=[alias(name='a.b.c', asname='d'), alias(name='e')])], type_ignores=[])"},
    {"from ..a import b as c, d",
     "Module(body=[ImportFrom(module='a', names=[alias(name='b', asname='c'), alias(name='d')], level=2)], type_ignores=[])"},
    {"from . import (x, y,)",
     "Module(body=[ImportFrom(names=[alias(name='x'), alias(name='y')], level=1)], type_ignores=[])"},
    {"from a import *",
     "Module(body=[ImportFrom(module='a', names=[alias(name='*')], level=0)], type_ignores=[])"},
    {"def f(a, /, b=1, *args, c, d=2, **kw) -> int:\n    return a",
     "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[arg(arg='a')], args=[arg(arg='b')], vararg=arg(arg='args'), kwonlyargs=[arg(arg='c'), arg(arg='d')], kw_defaults=[None, Constant(value=2)], kwarg=arg(arg='kw'), defaults=[Constant(value=1)]), body=[Return(value=Name(id='a', ctx=Load()))], decorator_list=[], returns=Name(id='int', ctx=Load()))], type_ignores=[])"},
    {"async def f():\n    await x\n    async for a in b:\n        pass\n    async with c:\n        pass",
     "Module(body=[AsyncFunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Expr(value=Await(value=Name(id='x', ctx=Load()))), AsyncFor(target=Name(id='a', ctx=Store()), iter=Name(id='b', ctx=Load()), body=[Pass()], orelse=[]), AsyncWith(items=[withitem(context_expr=Name(id='c', ctx=Load()))], body=[Pass()])], decorator_list=[])], type_ignores=[])"},
    {"@dec\n@dec2(1)\nclass A(B, metaclass=M, **kw):\n    x = 1",
     "Module(body=[ClassDef(name='A', bases=[Name(id='B', ctx=Load())], keywords=[keyword(arg='metaclass', value=Name(id='M', ctx=Load())), keyword(value=Name(id='kw', ctx=Load()))], body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], decorator_list=[Name(id='dec', ctx=Load()), Call(func=Name(id='dec2', ctx=Load()), args=[Constant(value=1)], keywords=[])])], type_ignores=[])"},
    {"def g():\n    global a, b\n    def h():\n        nonlocal a\n    yield 1\n    yield from g()\n    x = yield",
     "Module(body=[FunctionDef(name='g', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Global(names=['a', 'b']), FunctionDef(name='h', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Nonlocal(names=['a'])], decorator_list=[]), Expr(value=Yield(value=Constant(value=1))), Expr(value=YieldFrom(value=Call(func=Name(id='g', ctx=Load()), args=[], keywords=[]))), Assign(targets=[Name(id='x', ctx=Store())], value=Yield())], decorator_list=[])], type_ignores=[])"},
    {"a and b or not c",
     "Module(body=[Expr(value=BoolOp(op=Or(), values=[BoolOp(op=And(), values=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load())]), UnaryOp(op=Not(), operand=Name(id='c', ctx=Load()))]))], type_ignores=[])"},
    {"(y := 10)",
     "Module(body=[Expr(value=NamedExpr(target=Name(id='y', ctx=Store()), value=Constant(value=10)))], type_ignores=[])"},
    {"a + b - c * d / e // f % g @ h ** -i",
     "Module(body=[Expr(value=BinOp(left=BinOp(left=Name(id='a', ctx=Load()), op=Add(), right=Name(id='b', ctx=Load())), op=Sub(), right=BinOp(left=BinOp(left=BinOp(left=BinOp(left=BinOp(left=Name(id='c', ctx=Load()), op=Mult(), right=Name(id='d', ctx=Load())), op=Div(), right=Name(id='e', ctx=Load())), op=FloorDiv(), right=Name(id='f', ctx=Load())), op=Mod(), right=Name(id='g', ctx=Load())), op=MatMult(), right=BinOp(left=Name(id='h', ctx=Load()), op=Pow(), right=UnaryOp(op=USub(), operand=Name(id='i', ctx=Load()))))))], type_ignores=[])"},
    {"a << b >> c & d ^ e | ~f",
     "Module(body=[Expr(value=BinOp(left=BinOp(left=BinOp(left=BinOp(left=BinOp(left=Name(id='a', ctx=Load()), op=LShift(), right=Name(id='b', ctx=Load())), op=RShift(), right=Name(id='c', ctx=Load())), op=BitAnd(), right=Name(id='d', ctx=Load())), op=BitXor(), right=Name(id='e', ctx=Load())), op=BitOr(), right=UnaryOp(op=Invert(), operand=Name(id='f', ctx=Load()))))], type_ignores=[])"},
    {"lambda x, *y, z=1, **w: x",
     "Module(body=[Expr(value=Lambda(args=arguments(posonlyargs=[], args=[arg(arg='x')], vararg=arg(arg='y'), kwonlyargs=[arg(arg='z')], kw_defaults=[Constant(value=1)], kwarg=arg(arg='w'), defaults=[]), body=Name(id='x', ctx=Load())))], type_ignores=[])"},
    {"lambda: 0",
     "Module(body=[Expr(value=Lambda(args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=Constant(value=0)))], type_ignores=[])"},
    {"a if b else c",
     "Module(body=[Expr(value=IfExp(test=Name(id='b', ctx=Load()), body=Name(id='a', ctx=Load()), orelse=Name(id='c', ctx=Load())))], type_ignores=[])"},
    {"{1: 2, **d, 3: 4}",
     "Module(body=[Expr(value=Dict(keys=[Constant(value=1), None, Constant(value=3)], values=[Constant(value=2), Name(id='d', ctx=Load()), Constant(value=4)]))], type_ignores=[])"},
    {"{1, 2, *s}",
     "Module(body=[Expr(value=Set(elts=[Constant(value=1), Constant(value=2), Starred(value=Name(id='s', ctx=Load()), ctx=Load())]))], type_ignores=[])"},
    {"[x for x in y if x if z for w in x]",
     "Module(body=[Expr(value=ListComp(elt=Name(id='x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[Name(id='x', ctx=Load()), Name(id='z', ctx=Load())], is_async=0), comprehension(target=Name(id='w', ctx=Store()), iter=Name(id='x', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"},
    {"{x for x in y}",
     "Module(body=[Expr(value=SetComp(elt=Name(id='x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"},
    {"{k: v for k, v in d.items()}",
     "Module(body=[Expr(value=DictComp(key=Name(id='k', ctx=Load()), value=Name(id='v', ctx=Load()), generators=[comprehension(target=Tuple(elts=[Name(id='k', ctx=Store()), Name(id='v', ctx=Store())], ctx=Store()), iter=Call(func=Attribute(value=Name(id='d', ctx=Load()), attr='items', ctx=Load()), args=[], keywords=[]), ifs=[], is_async=0)]))], type_ignores=[])"},
    {"(x for x in y)",
     "Module(body=[Expr(value=GeneratorExp(elt=Name(id='x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"},
    {"f(x for x in y)",
     "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[GeneratorExp(elt=Name(id='x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)])], keywords=[]))], type_ignores=[])"},
    {"a < b <= c == d != e > f >= g is h is not i in j not in k",
     "Module(body=[Expr(value=Compare(left=Name(id='a', ctx=Load()), ops=[Lt(), LtE(), Eq(), NotEq(), Gt(), GtE(), Is(), IsNot(), In(), NotIn()], comparators=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load()), Name(id='d', ctx=Load()), Name(id='e', ctx=Load()), Name(id='f', ctx=Load()), Name(id='g', ctx=Load()), Name(id='h', ctx=Load()), Name(id='i', ctx=Load()), Name(id='j', ctx=Load()), Name(id='k', ctx=Load())]))], type_ignores=[])"},
    {"f(a, *b, c=1, **d)",
     "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load()), Starred(value=Name(id='b', ctx=Load()), ctx=Load())], keywords=[keyword(arg='c', value=Constant(value=1)), keyword(value=Name(id='d', ctx=Load()))]))], type_ignores=[])"},
    {"f'{x!r:>{w}} and {y=} {z:%Y}'",
     "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=Name(id='x', ctx=Load()), conversion=114, format_spec=JoinedStr(values=[Constant(value='>'), FormattedValue(value=Name(id='w', ctx=Load()), conversion=-1)])), Constant(value=' and y='), FormattedValue(value=Name(id='y', ctx=Load()), conversion=114), Constant(value=' '), FormattedValue(value=Name(id='z', ctx=Load()), conversion=-1, format_spec=JoinedStr(values=[Constant(value='%Y')]))]))], type_ignores=[])"},
    {"f'{{}}' 'a' f'b{1}'",
     "Module(body=[Expr(value=JoinedStr(values=[Constant(value='{}ab'), FormattedValue(value=Constant(value=1), conversion=-1)]))], type_ignores=[])"},
    {"a.b.c",
     "Module(body=[Expr(value=Attribute(value=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Load()), attr='c', ctx=Load()))], type_ignores=[])"},
    {"a[1:2, ::3, 4]",
     "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Tuple(elts=[Slice(lower=Constant(value=1), upper=Constant(value=2)), Slice(step=Constant(value=3)), Constant(value=4)], ctx=Load()), ctx=Load()))], type_ignores=[])"},
    {"a[:]",
     "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(), ctx=Load()))], type_ignores=[])"},
    {"a[*b]",
     "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Tuple(elts=[Starred(value=Name(id='b', ctx=Load()), ctx=Load())], ctx=Load()), ctx=Load()))], type_ignores=[])"},
    {"a[1]",
     "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Constant(value=1), ctx=Load()))], type_ignores=[])"},
    {"*a, b = c",
     "Module(body=[Assign(targets=[Tuple(elts=[Starred(value=Name(id='a', ctx=Store()), ctx=Store()), Name(id='b', ctx=Store())], ctx=Store())], value=Name(id='c', ctx=Load()))], type_ignores=[])"},
    {"[a, *b] = c",
     "Module(body=[Assign(targets=[List(elts=[Name(id='a', ctx=Store()), Starred(value=Name(id='b', ctx=Store()), ctx=Store())], ctx=Store())], value=Name(id='c', ctx=Load()))], type_ignores=[])"},
    {"x = ...",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=Ellipsis))], type_ignores=[])"},
    {"x = None, True, False",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(value=None), Constant(value=True), Constant(value=False)], ctx=Load()))], type_ignores=[])"},
    {"x = 0x_ff + 0o17 + 0b1_0 + 1_000 + 007.5",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=BinOp(left=BinOp(left=Constant(value=255), op=Add(), right=Constant(value=15)), op=Add(), right=Constant(value=2)), op=Add(), right=Constant(value=1000)), op=Add(), right=Constant(value=7.5)))], type_ignores=[])"},
    {"x = 1.5e-3 + .5 + 5. + 1e10 + 1E+5",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=BinOp(left=BinOp(left=Constant(value=0.0015), op=Add(), right=Constant(value=0.5)), op=Add(), right=Constant(value=5.0)), op=Add(), right=Constant(value=10000000000.0)), op=Add(), right=Constant(value=100000.0)))], type_ignores=[])"},
    {"x = 'a\\tb\\x41\\u00e9\\U0001F600\\101\\n'",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a\\tbA\303\251\360\237\230\200A\\n'))], type_ignores=[])"},
    {"x = b'\\x00\\xff' rb'\\n'",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b'\\x00\\xff\\\\n'))], type_ignores=[])"},
    {"x = r'\\n' R\"\\d\"",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\\\n\\\\d'))], type_ignores=[])"},
    {"x = '''a\nb'''",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a\\nb'))], type_ignores=[])"},
    {"x = 'a' \\\n  'b'",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='ab'))], type_ignores=[])"},
    {"x = (1,\n     2)",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))], type_ignores=[])"},
    {"x = ()",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[], ctx=Load()))], type_ignores=[])"},
    {"x = (1,)",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(value=1)], ctx=Load()))], type_ignores=[])"},
    {"x = [1, 2,]",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))], type_ignores=[])"},
    {"print(*a, sep='')",
     "Module(body=[Expr(value=Call(func=Name(id='print', ctx=Load()), args=[Starred(value=Name(id='a', ctx=Load()), ctx=Load())], keywords=[keyword(arg='sep', value=Constant(value=''))]))], type_ignores=[])"},
    {"class C:\n    def m(self):\n        return super().m()",
     "Module(body=[ClassDef(name='C', bases=[], keywords=[], body=[FunctionDef(name='m', args=arguments(posonlyargs=[], args=[arg(arg='self')], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Return(value=Call(func=Attribute(value=Call(func=Name(id='super', ctx=Load()), args=[], keywords=[]), attr='m', ctx=Load()), args=[], keywords=[]))], decorator_list=[])], decorator_list=[])], type_ignores=[])"},
    {"if x:\n    # comment\n\n    pass",
     "Module(body=[If(test=Name(id='x', ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])"},
    {"x = \"\303\251\" + '\303\274'",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value='\303\251'), op=Add(), right=Constant(value='\303\274')))], type_ignores=[])"},
    {"\303\251a = 1",
     "Module(body=[Assign(targets=[Name(id='\303\251a', ctx=Store())], value=Constant(value=1))], type_ignores=[])"},
    {"f(a)(b)[c].d",
     "Module(body=[Expr(value=Attribute(value=Subscript(value=Call(func=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load())], keywords=[]), args=[Name(id='b', ctx=Load())], keywords=[]), slice=Name(id='c', ctx=Load()), ctx=Load()), attr='d', ctx=Load()))], type_ignores=[])"},
    {"not a == b",
     "Module(body=[Expr(value=UnaryOp(op=Not(), operand=Compare(left=Name(id='a', ctx=Load()), ops=[Eq()], comparators=[Name(id='b', ctx=Load())])))], type_ignores=[])"},
    {"-a ** -b",
     "Module(body=[Expr(value=UnaryOp(op=USub(), operand=BinOp(left=Name(id='a', ctx=Load()), op=Pow(), right=UnaryOp(op=USub(), operand=Name(id='b', ctx=Load())))))], type_ignores=[])"},
    {"await_ = 1",
     "Module(body=[Assign(targets=[Name(id='await_', ctx=Store())], value=Constant(value=1))], type_ignores=[])"},
    {"x = [\n    1,\n    2,\n]",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))], type_ignores=[])"},
    {"def f(*, a): pass",
     "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[], args=[], kwonlyargs=[arg(arg='a')], kw_defaults=[None], defaults=[]), body=[Pass()], decorator_list=[])], type_ignores=[])"},
    {"def f(a, b=2, /): pass",
     "Module(body=[FunctionDef(name='f', args=arguments(posonlyargs=[arg(arg='a'), arg(arg='b')], args=[], kwonlyargs=[], kw_defaults=[], defaults=[Constant(value=2)]), body=[Pass()], decorator_list=[])], type_ignores=[])"},
    {"x = {}",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Dict(keys=[], values=[]))], type_ignores=[])"},
    {"x = {**a}",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Dict(keys=[None], values=[Name(id='a', ctx=Load())]))], type_ignores=[])"},
    {"for (a, b) in c: pass",
     "Module(body=[For(target=Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], ctx=Store()), iter=Name(id='c', ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])"},
    {"for a, *b in c: pass",
     "Module(body=[For(target=Tuple(elts=[Name(id='a', ctx=Store()), Starred(value=Name(id='b', ctx=Store()), ctx=Store())], ctx=Store()), iter=Name(id='c', ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])"},
    {"def g():\n    x = yield",
     "Module(body=[FunctionDef(name='g', args=arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Assign(targets=[Name(id='x', ctx=Store())], value=Yield())], decorator_list=[])], type_ignores=[])"},
    {"x = f'{a}' f'{b}'",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedValue(value=Name(id='a', ctx=Load()), conversion=-1), FormattedValue(value=Name(id='b', ctx=Load()), conversion=-1)]))], type_ignores=[])"},
    {"x = f'{x!s}{y!a}'",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedValue(value=Name(id='x', ctx=Load()), conversion=115), FormattedValue(value=Name(id='y', ctx=Load()), conversion=97)]))], type_ignores=[])"},
    {"x = f'''{\na\n}'''",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=JoinedStr(values=[FormattedValue(value=Name(id='a', ctx=Load()), conversion=-1)]))], type_ignores=[])"},
    {"f(**{'a': 1})",
     "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[], keywords=[keyword(value=Dict(keys=[Constant(value='a')], values=[Constant(value=1)]))]))], type_ignores=[])"},
    {"x = 1 if y else 2 if z else 3",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Name(id='y', ctx=Load()), body=Constant(value=1), orelse=IfExp(test=Name(id='z', ctx=Load()), body=Constant(value=2), orelse=Constant(value=3))))], type_ignores=[])"},
    {"x = a[b][c]",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Subscript(value=Subscript(value=Name(id='a', ctx=Load()), slice=Name(id='b', ctx=Load()), ctx=Load()), slice=Name(id='c', ctx=Load()), ctx=Load()))], type_ignores=[])"},
    {"x = -1",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=USub(), operand=Constant(value=1)))], type_ignores=[])"},
    {"x = +1",
     "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=UAdd(), operand=Constant(value=1)))], type_ignores=[])"},
    {"i = i + 1; j = 2;",
     "Module(body=[Assign(targets=[Name(id='i', ctx=Store())], value=BinOp(left=Name(id='i', ctx=Load()), op=Add(), right=Constant(value=1))), Assign(targets=[Name(id='j', ctx=Store())], value=Constant(value=2))], type_ignores=[])"},
};

static void test_dump_cases(void **state) {
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof DUMP_CASES / sizeof DUMP_CASES[0]; i++) {
        char *got = dump_of(DUMP_CASES[i].src);
        if (strcmp(got, DUMP_CASES[i].dump) != 0) {
            print_error("source: %s\n  got: %s\n want: %s\n", DUMP_CASES[i].src, got, DUMP_CASES[i].dump);
            failures++;
        }
        free(got);
    }
    assert_int_equal(failures, 0);
}

// -- error messages with CPython's line/offset

static const struct {
    const char *src, *kind, *msg;
    int line, col;
} ERR_CASES[] = {
    {"x = \"abc\nprint(x)", "SyntaxError", "unterminated string literal (detected at line 1)", 1, 5},
    {"x = rb\"abc", "SyntaxError", "unterminated string literal (detected at line 1)", 1, 5},
    {"x = 1\ns = '''never\nclosed\n\nprint(s)", "SyntaxError", "unterminated triple-quoted string literal (detected at line 5)", 2, 5},
    {"x = (1,\n2", "SyntaxError", "'(' was never closed", 1, 5},
    {"  )", "IndentationError", "unexpected indent", 1, 2},
    {"x = (1]", "SyntaxError", "closing parenthesis ']' does not match opening parenthesis '('", 1, 7},
    {"x = (1,\n2]", "SyntaxError", "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 2},
    {"012", "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 1},
    {"1__0", "SyntaxError", "invalid decimal literal", 1, 2},
    {"1_", "SyntaxError", "invalid decimal literal", 1, 2},
    {"0x", "SyntaxError", "invalid hexadecimal literal", 1, 2},
    {"0xg", "SyntaxError", "invalid hexadecimal literal", 1, 2},
    {"1e", "SyntaxError", "invalid decimal literal", 1, 1},
    {"1.e5x", "SyntaxError", "invalid decimal literal", 1, 4},
    {"1abc", "SyntaxError", "invalid decimal literal", 1, 1},
    {"0b102", "SyntaxError", "invalid digit '2' in binary literal", 1, 5},
    {"0o8", "SyntaxError", "invalid digit '8' in octal literal", 1, 3},
    {"0x1_", "SyntaxError", "invalid hexadecimal literal", 1, 4},
    {"a $ b", "SyntaxError", "invalid syntax", 1, 3},
    {"a ? b", "SyntaxError", "invalid syntax", 1, 3},
    {"\\x", "SyntaxError", "unexpected character after line continuation character", 1, 2},
    {"x = 1 \\", "SyntaxError", "unexpected EOF while parsing", 1, 8},
    {"x = 1 \\\n", "SyntaxError", "unexpected EOF while parsing", 1, 8},
    {"if x:\n\tpass\n        pass", "TabError", "inconsistent use of tabs and spaces in indentation", 3, 1},
    {"if x:\n        pass\n\tpass", "TabError", "inconsistent use of tabs and spaces in indentation", 3, 1},
    {"if x:\n    pass\n  pass", "IndentationError", "unindent does not match any outer indentation level", 3, 7},
    {"  x", "IndentationError", "unexpected indent", 1, 2},
    {"x\n  y", "IndentationError", "unexpected indent", 2, 2},
    {"x = \"\\N{foo}\"", "SyntaxError", "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-6: unknown Unicode character name", 1, 14},
    {"x = \"\\x1\"", "SyntaxError", "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", 1, 10},
    {"x = \"a\" b\"b\"", "SyntaxError", "cannot mix bytes and nonbytes literals", 1, 13},
    {"x = b'\303\251'", "SyntaxError", "bytes can only contain ASCII literal characters", 1, 5},
    {"if x:\npass", "IndentationError", "expected an indented block after 'if' statement on line 1", 2, 1},
    {"if x:\n", "IndentationError", "expected an indented block after 'if' statement on line 1", 1, 6},
    {"if x:", "IndentationError", "expected an indented block after 'if' statement on line 1", 1, 6},
    {"async def f():\nx", "IndentationError", "expected an indented block after function definition on line 1", 2, 1},
    {"for x in y:\n# c\n\nx", "IndentationError", "expected an indented block after 'for' statement on line 1", 4, 1},
    {"try:\n  x\ny", "SyntaxError", "expected 'except' or 'finally' block", 3, 1},
    {"try:\n  x\n", "SyntaxError", "expected 'except' or 'finally' block", 2, 4},
    {"print \"a\"", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1},
    {"x = print \"a\"", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 5},
    {"[print \"a\"]", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 2},
    {"print f\"a\"", "SyntaxError", "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1},
    {"[a b]", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 2},
    {"[a not b]", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 2},
    {"(a if b)", "SyntaxError", "expected 'else' after 'if' expression", 1, 2},
    {"f() = 1", "SyntaxError", "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1},
    {"1 = x", "SyntaxError", "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1},
    {"x = f() = 1", "SyntaxError", "cannot assign to function call", 1, 5},
    {"(a+b) = 1", "SyntaxError", "cannot assign to expression here. Maybe you meant '==' instead of '='?", 1, 2},
    {"(a, f()) = 1", "SyntaxError", "cannot assign to function call", 1, 5},
    {"True = 1", "SyntaxError", "cannot assign to True", 1, 1},
    {"if x = 1:\n  pass", "SyntaxError", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4},
    {"if f() = 1:\n pass", "SyntaxError", "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 4},
    {"f(a, b c)", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 6},
    {"[_ x]", "SyntaxError", "invalid syntax", 1, 4},
    {"[match x]", "SyntaxError", "invalid syntax", 1, 8},
    {"{1 2}", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 2},
    {"{1: 2 3: 4}", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 5},
    {"f(x for x in y, 1)", "SyntaxError", "Generator expression must be parenthesized", 1, 3},
    {"f(a=1, b)", "SyntaxError", "positional argument follows keyword argument", 1, 9},
    {"f(**a, *b)", "SyntaxError", "iterable argument unpacking follows keyword argument unpacking", 1, 8},
    {"f(a.b=1)", "SyntaxError", "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3},
    {"f(True=1)", "SyntaxError", "cannot assign to True", 1, 3},
    {"def f(a=1, b): pass", "SyntaxError", "non-default argument follows default argument", 1, 12},
    {"def f(*): pass", "SyntaxError", "named arguments must follow bare *", 1, 7},
    {"def f(a, a): pass", "SyntaxError", "duplicate argument 'a' in function definition", 1, 10},
    {"lambda a, a: 1", "SyntaxError", "duplicate argument 'a' in function definition", 1, 11},
    {"f(a=1, a=2)", "SyntaxError", "keyword argument repeated: a", 1, 8},
    {"for x in y z:\n pass", "SyntaxError", "invalid syntax", 1, 12},
    {"for x in y\n pass", "SyntaxError", "expected ':'", 1, 11},
    {"with x y:\n pass", "SyntaxError", "invalid syntax", 1, 8},
    {"with x\n pass", "SyntaxError", "expected ':'", 1, 7},
    {"class A x:\n pass", "SyntaxError", "invalid syntax", 1, 9},
    {"class A\n pass", "SyntaxError", "expected ':'", 1, 8},
    {"def f() x:\n pass", "SyntaxError", "expected ':'", 1, 9},
    {"def f x:\n pass", "SyntaxError", "expected '('", 1, 7},
    {"while x y:\n pass", "SyntaxError", "invalid syntax", 1, 9},
    {"while x\n pass", "SyntaxError", "expected ':'", 1, 8},
    {"if x\n pass", "SyntaxError", "expected ':'", 1, 5},
    {"try x:\n pass", "SyntaxError", "expected ':'", 1, 5},
    {"try:\n pass\nexcept E x:\n pass", "SyntaxError", "invalid syntax", 3, 10},
    {"try:\n pass\nexcept E\n pass", "SyntaxError", "expected ':'", 3, 9},
    {"try:\n pass\nfinally x:\n pass", "SyntaxError", "expected ':'", 3, 9},
    {"if x:\n pass\nelse x:\n pass", "SyntaxError", "expected ':'", 3, 6},
    {"if x:\n pass\nelif y\n pass", "SyntaxError", "expected ':'", 3, 7},
    {"lambda x x", "SyntaxError", "invalid syntax", 1, 10},
    {"try:\n pass\nexcept A, B:\n pass", "SyntaxError", "multiple exception types must be parenthesized", 3, 8},
    {"from x import a,", "SyntaxError", "trailing comma not allowed without surrounding parentheses", 1, 17},
    {"x = *a", "SyntaxError", "can't use starred expression here", 1, 5},
    {"*a = 1", "SyntaxError", "starred assignment target must be in a list or tuple", 1, 1},
    {"*a", "SyntaxError", "can't use starred expression here", 1, 1},
    {"a, *b, *c = 1", "SyntaxError", "multiple starred expressions in assignment", 1, 1},
    {"{a: *b}", "SyntaxError", "cannot use a starred expression in a dictionary value", 1, 5},
    {"{a:}", "SyntaxError", "expression expected after dictionary key and ':'", 1, 3},
    {"{**a for x in y}", "SyntaxError", "dict unpacking cannot be used in dict comprehension", 1, 2},
    {"[*a for a in b]", "SyntaxError", "iterable unpacking cannot be used in comprehension", 1, 2},
    {"(*a)", "SyntaxError", "cannot use starred expression here", 1, 2},
    {"def f(*a=1): pass", "SyntaxError", "var-positional argument cannot have default value", 1, 9},
    {"def f(**a=1): pass", "SyntaxError", "var-keyword argument cannot have default value", 1, 10},
    {"def f(**a, b): pass", "SyntaxError", "arguments cannot follow var-keyword argument", 1, 12},
    {"def f(a, /, b, /): pass", "SyntaxError", "/ may appear only once", 1, 16},
    {"def f(*, /): pass", "SyntaxError", "/ must be ahead of *", 1, 10},
    {"def f(/): pass", "SyntaxError", "invalid syntax", 1, 7},
    {"def f(*a, *b): pass", "SyntaxError", "* argument may appear only once", 1, 11},
    {"x = 1 if 2", "SyntaxError", "expected 'else' after 'if' expression", 1, 5},
    {"del f()", "SyntaxError", "cannot delete function call", 1, 5},
    {"del *a", "SyntaxError", "cannot delete starred", 1, 5},
    {"del (a, 1)", "SyntaxError", "cannot delete literal", 1, 9},
    {"f() += 1", "SyntaxError", "'function call' is an illegal expression for augmented assignment", 1, 1},
    {"(a, b) += 1", "SyntaxError", "'tuple' is an illegal expression for augmented assignment", 1, 1},
    {"a, b: int", "SyntaxError", "only single target (not tuple) can be annotated", 1, 1},
    {"[a]: int", "SyntaxError", "only single target (not list) can be annotated", 1, 1},
    {"f(): int", "SyntaxError", "illegal target for annotation", 1, 1},
    {"x = yield = 1", "SyntaxError", "assignment to yield expression not possible", 1, 5},
    {"for f() in y: pass", "SyntaxError", "cannot assign to function call", 1, 5},
    {"with a as f(): pass", "SyntaxError", "cannot assign to function call", 1, 11},
    {"import a.b as c.d", "SyntaxError", "invalid syntax", 1, 16},
    {"def f():\n from x import *", "SyntaxError", "import * only allowed at module level", 2, 16},
    {"try:\n pass\nexcept:\n pass\nexcept E:\n pass", "SyntaxError", "default 'except:' must be last", 3, 1},
    {"class A:\n return 1", "SyntaxError", "'return' outside function", 2, 2},
    {"class A:\n yield 1", "SyntaxError", "'yield' outside function", 2, 2},
    {"def f():\n class A:\n  await x", "SyntaxError", "'await' outside function", 3, 3},
    {"async def f():\n lambda: await x", "SyntaxError", "'await' outside async function", 2, 10},
    {"await x", "SyntaxError", "'await' outside function", 1, 1},
    {"async for x in y: pass", "SyntaxError", "'async for' outside async function", 1, 1},
    {"def f():\n async with x: pass", "SyntaxError", "'async with' outside async function", 2, 2},
    {"while x:\n pass\nelse:\n break", "SyntaxError", "'break' outside loop", 4, 2},
    {"for x in y:\n def f():\n  continue", "SyntaxError", "'continue' not properly in loop", 3, 3},
    {"return 5", "SyntaxError", "'return' outside function", 1, 1},
    {"x = f\"{a\\n}\"", "SyntaxError", "f-string expression part cannot include a backslash", 1, 13},
    {"x = f\"{a#}\"", "SyntaxError", "f-string expression part cannot include '#'", 1, 12},
    {"x = f\"{a)}\"", "SyntaxError", "f-string: unmatched ')'", 1, 12},
    {"x = f\"{}\"", "SyntaxError", "f-string: empty expression not allowed", 1, 10},
    {"x = f\"{a!x}\"", "SyntaxError", "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 13},
    {"x = f\"{a:{b:{c:{d}}}}\"", "SyntaxError", "f-string: expressions nested too deeply", 1, 23},
    {"x = f\"}\"", "SyntaxError", "f-string: single '}' is not allowed", 1, 9},
    {"x = f\"{\"", "SyntaxError", "f-string: expecting '}'", 1, 9},
    {"x = f'{a!r=}'", "SyntaxError", "f-string: expecting '}'", 1, 14},
    {"x = f\"{yield}\"", "SyntaxError", "'yield' outside function", 1, 8},
    {"x = f\"{a!}\"", "SyntaxError", "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 12},
    {"x = f\"{a!r x}\"", "SyntaxError", "f-string: expecting '}'", 1, 15},
    {")", "SyntaxError", "unmatched ')'", 1, 1},
    {"x = [1, 2", "SyntaxError", "'[' was never closed", 1, 5},
    {"foo(", "SyntaxError", "'(' was never closed", 1, 4},
    {"x = 1\ny = = 2\nz = \"abc", "SyntaxError", "unterminated string literal (detected at line 3)", 3, 5},
    {"x = = 1\ny = (1,\n2", "SyntaxError", "invalid syntax", 1, 5},
    {"x = (1,\n y = = 2", "SyntaxError", "'(' was never closed", 1, 5},
    {"def f(:\n    pass", "SyntaxError", "invalid syntax", 1, 7},
    {"if True:\n        x = 1\n    y = 2", "IndentationError", "unindent does not match any outer indentation level", 3, 10},
    {"else:", "SyntaxError", "invalid syntax", 1, 1},
    {"x = 1 +", "SyntaxError", "invalid syntax", 1, 8},
    {"x +", "SyntaxError", "invalid syntax", 1, 4},
    {"pass pass", "SyntaxError", "invalid syntax", 1, 6},
    {"import", "SyntaxError", "invalid syntax", 1, 7},
    {"from . import", "SyntaxError", "invalid syntax", 1, 14},
    {"from x import (a, b", "SyntaxError", "'(' was never closed", 1, 15},
    {"x = [i for i in]", "SyntaxError", "invalid syntax", 1, 16},
    {"x = {1: 2, 3}", "SyntaxError", "':' expected after dictionary key", 1, 12},
    {"x = {1, 2: 3}", "SyntaxError", "invalid syntax", 1, 10},
    {"a.1", "SyntaxError", "invalid syntax", 1, 2},
    {"x = not", "SyntaxError", "invalid syntax", 1, 8},
    {"del", "SyntaxError", "invalid syntax", 1, 4},
    {"def f():\n    return\n  x = 1", "IndentationError", "unindent does not match any outer indentation level", 3, 8},
    {"class", "SyntaxError", "invalid syntax", 1, 6},
    {"x.y = ", "SyntaxError", "invalid syntax", 1, 7},
    {"@dec\nx = 1", "SyntaxError", "invalid syntax", 2, 1},
    {"f(**)", "SyntaxError", "invalid syntax", 1, 5},
    {"f(*)", "SyntaxError", "invalid syntax", 1, 4},
    {"x = 5 5", "SyntaxError", "invalid syntax", 1, 7},
    {"a = b = c d", "SyntaxError", "invalid syntax", 1, 11},
    {"print(\"a\" \"b\" c)", "SyntaxError", "invalid syntax. Perhaps you forgot a comma?", 1, 7},
    {"nonlocal x", "SyntaxError", "nonlocal declaration not allowed at module level", 1, 1},
    {"x := 1", "SyntaxError", "invalid syntax", 1, 3},
    {"if 1:\n pass\n else:\n  pass", "SyntaxError", "invalid syntax", 3, 2},
    {"x = 0777", "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5},
    {"x = 1__2", "SyntaxError", "invalid decimal literal", 1, 6},
    {"x = 0b", "SyntaxError", "invalid binary literal", 1, 6},
    {"x = 0o", "SyntaxError", "invalid octal literal", 1, 6},
    {"x = 1e+", "SyntaxError", "invalid decimal literal", 1, 7},
    {"x = 1.2.3", "SyntaxError", "invalid syntax", 1, 8},
    {"x = '''abc", "SyntaxError", "unterminated triple-quoted string literal (detected at line 1)", 1, 5},
    {"x = u\"abc\" b\"d\"", "SyntaxError", "cannot mix bytes and nonbytes literals", 1, 16},
    {"assert", "SyntaxError", "invalid syntax", 1, 7},
    {"raise from x", "SyntaxError", "invalid syntax", 1, 7},
    {"x[1:2:3:4]", "SyntaxError", "invalid syntax", 1, 8},
    {"x[]", "SyntaxError", "invalid syntax", 1, 3},
    {"def f(): yield from", "SyntaxError", "invalid syntax", 1, 20},
    {"f(a for a in b for)", "SyntaxError", "invalid syntax", 1, 19},
    {"break", "SyntaxError", "'break' outside loop", 1, 1},
    {"continue", "SyntaxError", "'continue' not properly in loop", 1, 1},
};

static void test_error_cases(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof ERR_CASES / sizeof ERR_CASES[0]; i++) {
        Arena a;
        arena_init(&a);
        ParseError err;
        const char *src = ERR_CASES[i].src;
        Node *n = parse_module(&a, src, strlen(src), &err);
        if (n) fail_msg("source %s: parsed, expected %s", src, ERR_CASES[i].msg);
        if (strcmp(err.kind, ERR_CASES[i].kind) != 0 || strcmp(err.msg, ERR_CASES[i].msg) != 0 ||
            err.line != ERR_CASES[i].line || err.col != ERR_CASES[i].col)
            fail_msg("source %s\n  got: %s: %s @%d:%d\n want: %s: %s @%d:%d", src, err.kind, err.msg,
                     err.line, err.col, ERR_CASES[i].kind, ERR_CASES[i].msg, ERR_CASES[i].line,
                     ERR_CASES[i].col);
        arena_free(&a);
    }
}

static void expect_error(const char *src, size_t len, const char *kind, const char *msg) {
    Arena a;
    arena_init(&a);
    ParseError err;
    Node *n = parse_module(&a, src, len, &err);
    assert_null(n);
    assert_string_equal(err.kind, kind);
    assert_string_equal(err.msg, msg);
    arena_free(&a);
}

static void test_gilvm_errors(void **state) {
    (void)state;
    // Deliberate differences from CPython, documented in parser.h/ast.h.
    expect_error("x = 1j", 6, "SyntaxError", "complex numbers are not supported by gilvm");
    expect_error("x = '\\N{DIGIT ONE}'", 19, "SyntaxError",
                 "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-12: "
                 "unknown Unicode character name");
    expect_error("x = 1\ny = 2\0\n", 12, "SyntaxError", "source code cannot contain null bytes");
    expect_error("x = 'caf\xe9'\n", 11, "SyntaxError",
                 "(unicode error) 'utf-8' codec can't decode byte 0xe9 in position 8: invalid "
                 "continuation byte");
    expect_error("\xff", 1, "SyntaxError",
                 "(unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect_error("x = '\xe2\x82'", 8, "SyntaxError",
                 "(unicode error) 'utf-8' codec can't decode byte 0xe2 in position 5: invalid "
                 "continuation byte");
    expect_error("x = 1 € 2", 11, "SyntaxError", "invalid character '€' (U+20AC)");
    expect_error("x\xc2\xa0= 1", 6, "SyntaxError", "invalid non-printable character U+00A0");
    expect_error("match x:\n    case 1: pass\n", 26, "SyntaxError", "invalid syntax");
}

// A syntax error later in the file wins over a compile-time error earlier,
// as in CPython; a tokenizer error later wins over a parser error.
static void test_error_order(void **state) {
    (void)state;
    expect_error("return 1\nx = = 2\n", 17, "SyntaxError", "invalid syntax");
    expect_error("x = = 1\ny = 'abc\n", 16, "SyntaxError", "unterminated string literal (detected at line 2)");
    expect_error("x = = 1\ny = (1,\n", 16, "SyntaxError", "invalid syntax");
    expect_error("x = (1,\ny = = 2\n", 16, "SyntaxError", "'(' was never closed");
    expect_error("  x\ny = )\n", 10, "IndentationError", "unexpected indent");
}

// -- positions

static void test_positions(void **state) {
    (void)state;
    const char *src = "def f(a):\n    return (a +\n            1) * 2  # c\nx = f'{y}' 'z'\n";
    Arena a;
    arena_init(&a);
    ParseError err;
    Node *m = parse_module(&a, src, strlen(src), &err);
    assert_non_null(m);
    Node *fn = m->module.body.items[0];
    assert_int_equal(fn->kind, AST_FUNCTION_DEF);
    assert_int_equal(fn->line, 1);
    assert_int_equal(fn->col, 0);
    assert_int_equal(fn->end_line, 3);
    assert_int_equal(fn->end_col, 18);
    Node *ret = fn->func_def.body.items[0];
    assert_int_equal(ret->col, 4);
    Node *mul = ret->return_stmt.value;  // (a + 1) * 2 starts at the '('
    assert_int_equal(mul->kind, AST_BIN_OP);
    assert_int_equal(mul->line, 2);
    assert_int_equal(mul->col, 11);
    assert_int_equal(mul->end_col, 18);
    Node *add = mul->bin_op.left;  // a + 1 inside the parentheses
    assert_int_equal(add->col, 12);
    assert_int_equal(add->end_line, 3);
    assert_int_equal(add->end_col, 13);
    Node *js = m->module.body.items[1]->assign.value;
    assert_int_equal(js->kind, AST_JOINED_STR);
    assert_int_equal(js->col, 4);
    assert_int_equal(js->end_col, 14);
    Node *fv = js->joined_str.values.items[0];
    assert_int_equal(fv->kind, AST_FORMATTED_VALUE);
    assert_int_equal(fv->formatted.value->col, 7);  // y, inside the f-string
    assert_int_equal(fv->formatted.value->line, 4);
    arena_free(&a);
}

static void test_positions_unicode_offsets(void **state) {
    (void)state;
    // col is a byte offset; the error offset counts characters.
    const char *src = "s = 'é' + = 1\n";
    Arena a;
    arena_init(&a);
    ParseError err;
    assert_null(parse_module(&a, src, strlen(src), &err));
    assert_string_equal(err.msg, "invalid syntax");
    assert_int_equal(err.col, 11);
    arena_free(&a);
    arena_init(&a);
    src = "é = 1\n";
    Node *m = parse_module(&a, src, strlen(src), &err);
    assert_non_null(m);
    assert_int_equal(m->module.body.items[0]->assign.value->col, 5);
    arena_free(&a);
}

// -- literals

static void test_constants(void **state) {
    (void)state;
    Arena a;
    arena_init(&a);
    ParseError err;
    const char *src = "0x_FF; 0o17; 0b101; 1_000_000; 000; 1.5e3; 'a\\0b'; b'\\x00\\xff'";
    Node *m = parse_module(&a, src, strlen(src), &err);
    assert_non_null(m);
    Node *c;
    c = m->module.body.items[0]->expr_stmt.value;
    assert_int_equal(c->constant.kind, CONST_INT);
    assert_string_equal(c->constant.int_.digits, "FF");
    assert_int_equal(c->constant.int_.base, 16);
    c = m->module.body.items[1]->expr_stmt.value;
    assert_string_equal(c->constant.int_.digits, "17");
    assert_int_equal(c->constant.int_.base, 8);
    c = m->module.body.items[2]->expr_stmt.value;
    assert_int_equal(c->constant.int_.base, 2);
    c = m->module.body.items[3]->expr_stmt.value;
    assert_string_equal(c->constant.int_.digits, "1000000");
    c = m->module.body.items[4]->expr_stmt.value;
    assert_string_equal(c->constant.int_.digits, "0");
    c = m->module.body.items[5]->expr_stmt.value;
    assert_int_equal(c->constant.kind, CONST_FLOAT);
    assert_true(c->constant.float_ == 1500.0);
    c = m->module.body.items[6]->expr_stmt.value;
    assert_int_equal(c->constant.kind, CONST_STR);
    assert_int_equal(c->constant.str.len, 3);
    assert_memory_equal(c->constant.str.data, "a\0b", 3);
    c = m->module.body.items[7]->expr_stmt.value;
    assert_int_equal(c->constant.kind, CONST_BYTES);
    assert_int_equal(c->constant.str.len, 2);
    assert_memory_equal(c->constant.str.data, "\0\xff", 2);
    arena_free(&a);
}

static void test_huge_literals(void **state) {
    (void)state;
    size_t n = 100000;
    char *src = malloc(n + 16);
    memcpy(src, "x = ", 4);
    for (size_t i = 0; i < n; i++) src[4 + i] = (char)('1' + i % 9);
    src[4 + n] = '\n';
    Arena a;
    arena_init(&a);
    ParseError err;
    Node *m = parse_module(&a, src, n + 5, &err);
    assert_non_null(m);
    Node *c = m->module.body.items[0]->assign.value;
    assert_int_equal(strlen(c->constant.int_.digits), n);
    arena_free(&a);
    free(src);

    n = 1 << 20;  // a 1 MB string
    src = malloc(n + 16);
    memcpy(src, "s = '", 5);
    memset(src + 5, 'z', n);
    memcpy(src + 5 + n, "'\n", 2);
    arena_init(&a);
    m = parse_module(&a, src, n + 7, &err);
    assert_non_null(m);
    assert_int_equal(m->module.body.items[0]->assign.value->constant.str.len, n);
    arena_free(&a);
    free(src);
}

static void test_fstrings(void **state) {
    (void)state;
    ASSERT_DUMP("f'{x = !r:>5}'",
                "Module(body=[Expr(value=JoinedStr(values=[Constant(value='x = '), FormattedValue("
                "value=Name(id='x', ctx=Load()), conversion=114, format_spec=JoinedStr(values=["
                "Constant(value='>5')]))]))], type_ignores=[])");
    ASSERT_DUMP("f'{x:}'", "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=Name(id='x', "
                           "ctx=Load()), conversion=-1, format_spec=JoinedStr(values=[]))]))], type_ignores=[])");
    ASSERT_DUMP("f'{a!=b}'", "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=Compare(left=Name("
                             "id='a', ctx=Load()), ops=[NotEq()], comparators=[Name(id='b', ctx=Load())]), "
                             "conversion=-1)]))], type_ignores=[])");
    ASSERT_DUMP("f'{\"a\" if x else \"b\"}'",
                "Module(body=[Expr(value=JoinedStr(values=[FormattedValue(value=IfExp(test=Name(id='x', "
                "ctx=Load()), body=Constant(value='a'), orelse=Constant(value='b')), conversion=-1)]))], "
                "type_ignores=[])");
    ASSERT_DUMP("rf'\\n{x}'", "Module(body=[Expr(value=JoinedStr(values=[Constant(value='\\\\n'), "
                             "FormattedValue(value=Name(id='x', ctx=Load()), conversion=-1)]))], type_ignores=[])");
    ASSERT_DUMP("f''", "Module(body=[Expr(value=JoinedStr(values=[]))], type_ignores=[])");
    ASSERT_DUMP("'a' 'b'", "Module(body=[Expr(value=Constant(value='ab'))], type_ignores=[])");
    expect_error("f'{a b}'", 8, "SyntaxError", "f-string: invalid syntax. Perhaps you forgot a comma?");
    const char *deep = "f'{f\"{1}\":{2:{3}}}'";
    expect_error(deep, strlen(deep), "SyntaxError", "f-string: expressions nested too deeply");
}

// -- other modes

static void test_interactive(void **state) {
    (void)state;
    char *got = run(MODE_SINGLE, "x = 1; y\n", 9);
    assert_string_equal(got, "Interactive(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant("
                             "value=1)), Expr(value=Name(id='y', ctx=Load()))])");
    free(got);
    got = run(MODE_SINGLE, "if x:\n  pass\n\n", 14);
    assert_string_equal(got, "Interactive(body=[If(test=Name(id='x', ctx=Load()), body=[Pass()], orelse=[])])");
    free(got);
    got = run(MODE_SINGLE, "x\ny\n", 4);
    assert_string_equal(got, "SyntaxError: multiple statements found while compiling a single statement @2:1");
    free(got);
    got = run(MODE_SINGLE, "", 0);
    assert_string_equal(got, "Interactive(body=[])");
    free(got);
}

static void test_expression_mode(void **state) {
    (void)state;
    char *got = run(MODE_EVAL, "  a + b[0]\n", 11);
    assert_string_equal(got, "Expression(body=BinOp(left=Name(id='a', ctx=Load()), op=Add(), right=Subscript("
                             "value=Name(id='b', ctx=Load()), slice=Constant(value=0), ctx=Load())))");
    free(got);
    got = run(MODE_EVAL, "x = 1", 5);
    assert_string_equal(got, "SyntaxError: invalid syntax @1:3");
    free(got);
    got = run(MODE_EVAL, "1, 2", 4);
    assert_string_equal(got, "Expression(body=Tuple(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))");
    free(got);
}

// -- REPL continuation

static bool more(const char *s) { return parse_needs_more(s, strlen(s)); }

static void test_needs_more(void **state) {
    (void)state;
    assert_false(more(""));
    assert_false(more("x = 1\n"));
    assert_false(more("# comment\n"));
    assert_false(more("   \n"));
    assert_true(more("x = (1,\n"));
    assert_true(more("x = [1,\n\n"));
    assert_true(more("f(a,\n  b\n"));
    assert_true(more("s = '''abc\n"));
    assert_true(more("x = 1 + \\\n"));
    assert_true(more("if x:\n"));
    assert_true(more("if x:\n    y = 1\n"));
    assert_true(more("if x: pass\n"));
    assert_true(more("def f():\n    return 1\n"));
    assert_true(more("for i in r:\n    if i:\n"));
    assert_true(more("try:\n    x\n"));
    assert_true(more("try:\n    x\nexcept E:\n"));
    assert_true(more("@dec\n"));
    assert_true(more("class A:\n    def m(self):\n        pass\n"));
    assert_true(more("class A:\n    def m(self): pass\n    @property\n"));
    assert_true(more("class A:\n    class B:\n        @staticmethod\n"));
    assert_false(more("if x:\n    y = 1\n\n"));
    assert_false(more("def f():\n    return 1\n\n"));
    assert_false(more("if x:\n\n"));        // complete: the parser reports the error
    assert_false(more("x = )\n"));          // syntax error: report it now
    assert_false(more("if x:\n    1 +\n"));  // error before the end
    assert_false(more("s = 'abc\n"));       // unterminated single-quoted string
    assert_false(more("x = 1 +\n"));
    assert_false(more("\xff\n"));
}

// -- robustness

static char *repeat(const char *prefix, const char *unit, size_t n, const char *suffix, size_t *len) {
    size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
    char *s = malloc(pl + ul * n + sl + 1);
    memcpy(s, prefix, pl);
    for (size_t i = 0; i < n; i++) memcpy(s + pl + i * ul, unit, ul);
    memcpy(s + pl + ul * n, suffix, sl + 1);
    *len = pl + ul * n + sl;
    return s;
}

static void expect_deep_error(const char *prefix, const char *unit, size_t n, const char *suffix,
                              const char *kind, const char *msg) {
    size_t len;
    char *s = repeat(prefix, unit, n, suffix, &len);
    expect_error(s, len, kind, msg);
    for (int mode = MODE_SINGLE; mode <= MODE_EVAL; mode++) free(run((Mode)mode, s, len));
    (void)parse_needs_more(s, len);
    free(s);
}

static void test_deep_nesting(void **state) {
    (void)state;
    expect_deep_error("", "(", 10000, "", "SyntaxError", "too many nested parentheses");
    expect_deep_error("x = ", "[", 10000, "", "SyntaxError", "too many nested parentheses");
    expect_deep_error("x = ", "{", 201, "", "SyntaxError", "too many nested parentheses");
    expect_deep_error("", "-", 100000, "1\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = ", "not ", 100000, "1\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = ", "1 + ", 100000, "1\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = ", "a.", 100000, "b\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = ", "2 ** ", 100000, "1\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = ", "lambda: ", 100000, "1\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = ", "a if b else ", 100000, "1\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = f", "()", 100000, "\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = a", "[0]", 100000, "\n", "SyntaxError", "expression too deeply nested");
    expect_deep_error("x = f'{x:", "{y:", 3, "}}}}'\n", "SyntaxError", "f-string: expressions nested too deeply");

    // 200+ nested blocks
    size_t len = 0, cap = 300 * 310;
    char *s = malloc(cap);
    for (int d = 0; d < 250; d++) {
        for (int k = 0; k < d; k++) s[len++] = ' ';
        memcpy(s + len, "if x:\n", 6);
        len += 6;
    }
    for (int k = 0; k < 250; k++) s[len++] = ' ';
    memcpy(s + len, "pass\n", 5);
    len += 5;
    expect_error(s, len, "IndentationError", "too many levels of indentation");
    free(s);

    // Just inside the limits: accepted.
    char *ok = repeat("x = ", "(", 199, "1", &len);
    free(ok);
    ok = repeat("x = ", "-", 800, "1\n", &len);
    Arena a;
    arena_init(&a);
    ParseError err;
    Node *m = parse_module(&a, ok, len, &err);
    assert_non_null(m);
    assert_true(ast_depth(m) < AST_MAX_DEPTH);
    arena_free(&a);
    free(ok);
}

static void test_garbage(void **state) {
    (void)state;
    uint32_t seed = 12345;
    char buf[512];
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 500);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (char)(seed >> 16);
            if (round % 2) buf[i] = (char)(32 + (buf[i] & 0x3f)) ;  // printable soup
        }
        for (int mode = MODE_EXEC; mode <= MODE_EVAL; mode++) free(run((Mode)mode, buf, len));
        (void)parse_needs_more(buf, len);
    }
}

static void test_names(void **state) {
    (void)state;
    assert_string_equal(ast_kind_name(AST_FUNCTION_DEF), "FunctionDef");
    assert_string_equal(ast_kind_name(AST_COMPREHENSION), "comprehension");
    assert_string_equal(ast_kind_name(-1), "?");
    assert_string_equal(ast_binop_symbol(BIN_FLOORDIV), "//");
    ASSERT_DUMP("async def f():\n    async with a: pass",
                "Module(body=[AsyncFunctionDef(name='f', args=arguments(posonlyargs=[], args=[], "
                "kwonlyargs=[], kw_defaults=[], defaults=[]), body=[AsyncWith(items=[withitem("
                "context_expr=Name(id='a', ctx=Load()))], body=[Pass()])], decorator_list=[])], "
                "type_ignores=[])");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dump_cases),
        cmocka_unit_test(test_error_cases),
        cmocka_unit_test(test_gilvm_errors),
        cmocka_unit_test(test_error_order),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_positions_unicode_offsets),
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_huge_literals),
        cmocka_unit_test(test_fstrings),
        cmocka_unit_test(test_interactive),
        cmocka_unit_test(test_expression_mode),
        cmocka_unit_test(test_needs_more),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
