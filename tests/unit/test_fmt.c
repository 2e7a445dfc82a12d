// Unit tests for vm/fmt.c and vm/sbuf.h.
//
// Every expected string in the tables below was produced by CPython 3.11.7
// (format(), repr(), '%' formatting, int(), float(), round(), hash()) and
// pasted in; doubles are written as exact hex literals. Hand-written tests
// at the end cover the printf-style scanner, '*' arguments, SBuf, and inputs
// that must fail cleanly (absurd widths and precisions).
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"

typedef struct {
    double x;
    const char *want;
} DblCase;

typedef struct {
    double x;
    const char *spec;
    int rc;
    const char *want;  // output, or the error message when rc != FMT_OK
} FmtDblCase;

typedef struct {
    const char *x;  // decimal
    const char *spec;
    int rc;
    const char *want;
} FmtIntCase;

typedef struct {
    const char *x;
    const char *spec;
    int rc;
    const char *want;
} FmtStrCase;

typedef struct {
    const char *fmt;
    char kind;   // 'i' int (in [s]), 'f' double, 's' text
    double d;
    const char *s;
    int rc;
    const char *want;
} PctCase;

typedef struct {
    const char *s;
    size_t len;
    int rc;
    const char *want;  // repr of the result
} ParseCase;

typedef struct {
    const char *s;
    size_t len;
    int base;
    int rc;
    const char *want;
} ParseIntCase;

typedef struct {
    double x;
    int ndigits;
    int rc;
    const char *want;
} RoundCase;

typedef struct {
    double x;
    const char *want;
} RoundHalfCase;

typedef struct {
    double x;
    int64_t want;
} HashDblCase;

typedef struct {
    const char *x;
    int64_t want;
} HashIntCase;

// ---------------------------------------------------------------------------
// Tables generated with python3 (CPython 3.11.7).

static const DblCase repr_cases[] = {
    {0x1.999999999999ap-4, "0.1"},
    {0x1.5555555555555p-2, "0.3333333333333333"},
    {0x1.1c37937e08000p+53, "1e+16"},
    {0x1.4f8b588e368f1p-17, "1e-05"},
    {0x1.b69b4ba630f35p+56, "1.2345678901234568e+17"},
    {0x0.0000000000001p-1022, "5e-324"},
    {0x1.fffffffffffffp+1023, "1.7976931348623157e+308"},
    {-0x0.0p+0, "-0.0"},
    {0x0.0p+0, "0.0"},
    {0x1.0000000000000p+0, "1.0"},
    {-0x1.8000000000000p+0, "-1.5"},
    {0x1.0f0cf064dd592p+73, "1e+22"},
    {0x1.52d02c7e14af6p+76, "1e+23"},
    {INFINITY, "inf"},
    {-INFINITY, "-inf"},
    {NAN, "nan"},
    {0x1.a36e2eb1c432dp-14, "0.0001"},
    {0x1.9f3c70c996b77p-14, "9.900000000000001e-05"},
    {0x1.1c37937e07fffp+53, "9999999999999998.0"},
    {0x1.1c37937e08002p+54, "2.000000000000001e+16"},
    {0x1.f75104d551d69p-17, "1.5e-05"},
    {0x1.0000000000000p-1022, "2.2250738585072014e-308"},
    {0x1.9000000000000p+6, "100.0"},
    {0x1.34a456d5cfaadp+10, "1234.5678"},
    {0x1.3333333333333p-2, "0.3"},
    {0x1.6a09e667f3bcdp+0, "1.4142135623730951"},
    {0x1.921fb54442d18p+1, "3.141592653589793"},
    {0x1.1ccf385ebc8a0p+1023, "1e+308"},
    {0x1.1666666666666p+2, "4.35"},
    {0x1.3333333333334p-2, "0.30000000000000004"},
};

static const FmtDblCase fmt_double_cases[] = {
    {0x1.921f9f01b866ep+1, "08.3f", FMT_OK, "0003.142"},
    {0x1.0000000000000p-1, ".1%", FMT_OK, "50.0%"},
    {0x1.249ad2594c37dp+332, "g", FMT_OK, "1e+100"},
    {0x1.0000000000000p+0, "", FMT_OK, "1.0"},
    {0x1.8000000000000p+0, ".3", FMT_OK, "1.5"},
    {0x1.9000000000000p+6, ".3", FMT_OK, "1e+02"},
    {0x1.ec00000000000p+6, ".3", FMT_OK, "1.23e+02"},
    {0x1.0000000000000p+0, ".0", FMT_OK, "1e+00"},
    {0x1.1c37937e08000p+53, "", FMT_OK, "1e+16"},
    {0x1.2d687e4189375p+20, ",", FMT_OK, "1,234,567.891"},
    {0x1.2d687e4189375p+20, "_.2f", FMT_OK, "1_234_567.89"},
    {-0x1.34a0000000000p+10, "015,.2f", FMT_OK, "-000,001,234.50"},
    {0x1.34a0000000000p+10, "010,", FMT_OK, "0,001,234.5"},
    {INFINITY, "010", FMT_OK, "0000000inf"},
    {-INFINITY, "+", FMT_OK, "-inf"},
    {NAN, "^7", FMT_OK, "  nan  "},
    {NAN, "+.2f", FMT_OK, "+nan"},
    {INFINITY, "E", FMT_OK, "INF"},
    {-0x0.0p+0, "z", FMT_OK, "0.0"},
    {-0x1.a36e2eb1c432dp-14, "z.2f", FMT_OK, "0.00"},
    {-0x1.a36e2eb1c432dp-14, ".2f", FMT_OK, "-0.00"},
    {-0x0.0p+0, "", FMT_OK, "-0.0"},
    {-0x0.0p+0, "+", FMT_OK, "-0.0"},
    {0x0.0p+0, " ", FMT_OK, " 0.0"},
    {0x1.4000000000000p+1, ".0f", FMT_OK, "2"},
    {0x1.c000000000000p+1, ".0f", FMT_OK, "4"},
    {0x1.5666666666666p+1, ".2f", FMT_OK, "2.67"},
    {0x1.0000000000000p+0, "#.0f", FMT_OK, "1."},
    {0x1.0000000000000p+0, "#g", FMT_OK, "1.00000"},
    {0x1.4f8b588e368f1p-17, "", FMT_OK, "1e-05"},
    {0x1.4f8b588e368f1p-17, "g", FMT_OK, "1e-05"},
    {0x1.4f8b588e368f1p-17, ".3e", FMT_OK, "1.000e-05"},
    {0x1.81cd6c8b43958p+13, "E", FMT_OK, "1.234568E+04"},
    {0x1.81cd6c8b43958p+13, "n", FMT_OK, "12345.7"},
    {0x1.81cd6c8b43958p+13, "G", FMT_OK, "12345.7"},
    {0x1.9e3abe16fc70dp-17, ".2g", FMT_OK, "1.2e-05"},
    {0x1.8000000000000p+0, "*^+12.3f", FMT_OK, "***+1.500***"},
    {0x1.8000000000000p+0, "\303\251<8", FMT_OK, "1.5\303\251\303\251\303\251\303\251\303\251"},
    {0x1.8000000000000p+0, "=^10", FMT_OK, "===1.5===="},
    {-0x1.8000000000000p+0, "x=10", FMT_OK, "-xxxxxx1.5"},
    {0x1.8000000000000p+0, "10", FMT_OK, "       1.5"},
    {0x1.8000000000000p+0, "<10", FMT_OK, "1.5       "},
    {0x1.fe00000000000p+7, "x", FMT_ERR_VALUE, "Unknown format code 'x' for object of type 'float'"},
    {0x1.8000000000000p+0, "d", FMT_ERR_VALUE, "Unknown format code 'd' for object of type 'float'"},
    {0x1.8000000000000p+0, "s", FMT_ERR_VALUE, "Unknown format code 's' for object of type 'float'"},
    {0x1.8000000000000p+0, ",x", FMT_ERR_VALUE, "Cannot specify ',' with 'x'."},
    {0x1.8000000000000p+0, "_x", FMT_ERR_VALUE, "Unknown format code 'x' for object of type 'float'"},
    {0x1.8000000000000p+0, ".2147483648f", FMT_ERR_VALUE, "precision too big"},
    {0x1.8000000000000p+0, "abc", FMT_ERR_VALUE, "Invalid format specifier 'abc' for object of type 'float'"},
    {0x1.8000000000000p+0, ".", FMT_ERR_VALUE, "Format specifier missing precision"},
    {0x1.8000000000000p+0, ",_", FMT_ERR_VALUE, "Cannot specify both ',' and '_'."},
    {0x1.8000000000000p+0, "_,", FMT_ERR_VALUE, "Cannot specify both ',' and '_'."},
    {0x1.8000000000000p+0, "99999999999999999999", FMT_ERR_VALUE, "Too many decimal digits in format string"},
    {0x0.0000000000001p-1022, ".1100f", FMT_OK, "0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000494065645841246544176568792868221372365059802614324764425585682500675507270208751865299836361635992379796564695445717730926656710355939796398774796010781878126300713190311404527845817167848982103688718636056998730723050006387409153564984387312473397273169615140031715385398074126238565591171026658556686768187039560310624931945271591492455329305456544401127480129709999541931989409080416563324524757147869014726780159355238611550134803526493472019379026810710749170333222684475333572083243193609238289345836806010601150616980975307834227731832924790498252473077637592724787465608477820373446969953364701797267771758512566055119913150489110145103786273816725095583738973359899366480994116420570263709027924276754456522908753868250641971826553344726562500000000000000000000000000"},
    {0x1.7e43c8800759cp+996, ".0f", FMT_OK, "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"},
    {0x1.999999999999ap-4, ".30f", FMT_OK, "0.100000000000000005551115123126"},
    {0x1.999999999999ap-4, ".20e", FMT_OK, "1.00000000000000005551e-01"},
    {0x1.5555555555555p-2, ".5%", FMT_OK, "33.33333%"},
    {INFINITY, "%", FMT_OK, "inf%"},
    {0x1.d6f3454000000p+26, ",.1f", FMT_OK, "123,456,789.0"},
    {0x1.d6f3454000000p+26, "020_.1f", FMT_OK, "00_000_123_456_789.0"},
    {0x1.b1ae4d6e2ef50p+69, ",", FMT_OK, "1e+21"},
    {0x1.4000000000000p+0, ".1f", FMT_OK, "1.2"},
    {0x1.599999999999ap+0, ".1f", FMT_OK, "1.4"},
    {0x1.0000000000000p-1, ".0%", FMT_OK, "50%"},
    {0x1.8000000000000p+0, "\360\237\230\200^5", FMT_OK, "\360\237\230\2001.5\360\237\230\200"},
};

static const FmtIntCase fmt_int_cases[] = {
    {"1234567", ",", FMT_OK, "1,234,567"},
    {"255", "#x", FMT_OK, "0xff"},
    {"-42", "=+8", FMT_OK, "-     42"},
    {"255", "#X", FMT_OK, "0XFF"},
    {"255", "#b", FMT_OK, "0b11111111"},
    {"255", "#o", FMT_OK, "0o377"},
    {"-255", "x", FMT_OK, "-ff"},
    {"123456789", "_", FMT_OK, "123_456_789"},
    {"3735928559", "_x", FMT_OK, "dead_beef"},
    {"3735928559", "#_X", FMT_OK, "0XDEAD_BEEF"},
    {"5", "#012_b", FMT_OK, "0b0_0000_0101"},
    {"1234", "010,", FMT_OK, "00,001,234"},
    {"1234", "08,", FMT_OK, "0,001,234"},
    {"-1234", "010,", FMT_OK, "-0,001,234"},
    {"1234", "0=10,", FMT_OK, "00,001,234"},
    {"1234", "0>10,", FMT_OK, "000001,234"},
    {"65", "c", FMT_OK, "A"},
    {"128512", "^5c", FMT_OK, "  \360\237\230\200  "},
    {"65", "+c", FMT_ERR_VALUE, "Sign not allowed with integer format specifier 'c'"},
    {"65", "#c", FMT_ERR_VALUE, "Alternate form (#) not allowed with integer format specifier 'c'"},
    {"-1", "c", FMT_ERR_OVERFLOW, "%c arg not in range(0x110000)"},
    {"1114112", "c", FMT_ERR_OVERFLOW, "%c arg not in range(0x110000)"},
    {"1180591620717411303424", "c", FMT_ERR_OVERFLOW, "Python int too large to convert to C long"},
    {"65", ",c", FMT_ERR_VALUE, "Cannot specify ',' with 'c'."},
    {"5", ".2", FMT_ERR_VALUE, "Precision not allowed in integer format specifier"},
    {"5", "z", FMT_ERR_VALUE, "Negative zero coercion (z) not allowed in integer format specifier"},
    {"5", "zd", FMT_ERR_VALUE, "Negative zero coercion (z) not allowed in integer format specifier"},
    {"10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "f", FMT_ERR_OVERFLOW, "int too large to convert to float"},
    {"10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "d", FMT_OK, "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
    {"10000000000000000000000", "e", FMT_OK, "1.000000e+22"},
    {"9007199254740993", "f", FMT_OK, "9007199254740992.000000"},
    {"12345", "%", FMT_OK, "1234500.000000%"},
    {"7", ".3f", FMT_OK, "7.000"},
    {"7", "g", FMT_OK, "7"},
    {"7", "n", FMT_OK, "7"},
    {"1234567", "n", FMT_OK, "1234567"},
    {"-7", " ", FMT_OK, "-7"},
    {"7", " ", FMT_OK, " 7"},
    {"7", "s", FMT_ERR_VALUE, "Unknown format code 's' for object of type 'int'"},
    {"7", ",x", FMT_ERR_VALUE, "Cannot specify ',' with 'x'."},
    {"7", "\001", FMT_ERR_VALUE, "Unknown format code '\\x1' for object of type 'int'"},
    {"7", "\303\251", FMT_ERR_VALUE, "Unknown format code '\\xe9' for object of type 'int'"},
    {"7", "abc", FMT_ERR_VALUE, "Invalid format specifier 'abc' for object of type 'int'"},
    {"7", "999999999999999999999", FMT_ERR_VALUE, "Too many decimal digits in format string"},
    {"0", "", FMT_OK, "0"},
    {"0", "+", FMT_OK, "+0"},
    {"42", "*^9", FMT_OK, "***42****"},
    {"42", "*<+9", FMT_OK, "+42******"},
    {"42", "x^9X", FMT_OK, "xxx2Axxxx"},
    {"-12345678901234567890123", ",", FMT_OK, "-12,345,678,901,234,567,890,123"},
    {"5", "\331\241\331\240", FMT_OK, "         5"},
    {"5", ".\331\241f", FMT_OK, "5.0"},
    {"5", "x<\331\241\331\240", FMT_OK, "5xxxxxxxxx"},
};

static const FmtStrCase fmt_str_cases[] = {
    {"abc", "^9", FMT_OK, "   abc   "},
    {"abc", "05", FMT_OK, "abc00"},
    {"abc", ">5", FMT_OK, "  abc"},
    {"abc", "*^8", FMT_OK, "**abc***"},
    {"h\303\251llo", ".2", FMT_OK, "h\303\251"},
    {"h\303\251llo", "\303\251>7", FMT_OK, "\303\251\303\251h\303\251llo"},
    {"abc", "", FMT_OK, "abc"},
    {"abc", "s", FMT_OK, "abc"},
    {"abc", ".0", FMT_OK, ""},
    {"abc", "=", FMT_ERR_VALUE, "'=' alignment not allowed in string format specifier"},
    {"abc", "+", FMT_ERR_VALUE, "Sign not allowed in string format specifier"},
    {"abc", " ", FMT_ERR_VALUE, "Space not allowed in string format specifier"},
    {"abc", "#", FMT_ERR_VALUE, "Alternate form (#) not allowed in string format specifier"},
    {"abc", "z", FMT_ERR_VALUE, "Negative zero coercion (z) not allowed in string format specifier"},
    {"abc", ",", FMT_ERR_VALUE, "Cannot specify ',' with 's'."},
    {"abc", "d", FMT_ERR_VALUE, "Unknown format code 'd' for object of type 'str'"},
    {"abc", "10.1s", FMT_OK, "a         "},
    {"\360\237\230\200\360\237\230\200", "^6", FMT_OK, "  \360\237\230\200\360\237\230\200  "},
    {"abc", "0=5", FMT_ERR_VALUE, "'=' alignment not allowed in string format specifier"},
    {"abc", "_", FMT_ERR_VALUE, "Cannot specify '_' with 's'."},
    {"", "3", FMT_OK, "   "},
};

static const PctCase pct_cases[] = {
    {"%5.2f", 'f', 0x1.921f9f01b866ep+1, NULL, FMT_OK, " 3.14"},
    {"%-6d|", 'i', 0, "42", FMT_OK, "42    |"},
    {"%x", 'i', 0, "-255", FMT_OK, "-ff"},
    {"%05d", 'i', 0, "42", FMT_OK, "00042"},
    {"%-05d|", 'i', 0, "3", FMT_OK, "3    |"},
    {"%+05d", 'i', 0, "3", FMT_OK, "+0003"},
    {"%.3d", 'i', 0, "5", FMT_OK, "005"},
    {"%#o", 'i', 0, "8", FMT_OK, "0o10"},
    {"%#X", 'i', 0, "255", FMT_OK, "0XFF"},
    {"%#5x", 'i', 0, "255", FMT_OK, " 0xff"},
    {"%#05x", 'i', 0, "255", FMT_OK, "0x0ff"},
    {"%#-6x|", 'i', 0, "255", FMT_OK, "0xff  |"},
    {"%#.4x", 'i', 0, "255", FMT_OK, "0x00ff"},
    {"% d", 'i', 0, "3", FMT_OK, " 3"},
    {"%+x", 'i', 0, "-255", FMT_OK, "-ff"},
    {"%u", 'i', 0, "7", FMT_OK, "7"},
    {"%i", 'i', 0, "-7", FMT_OK, "-7"},
    {"%c", 'i', 0, "65", FMT_OK, "A"},
    {"%5c", 'i', 0, "233", FMT_OK, "    \303\251"},
    {"%-3c|", 'i', 0, "128512", FMT_OK, "\360\237\230\200  |"},
    {"%c", 'i', 0, "1114112", FMT_ERR_OVERFLOW, "%c arg not in range(0x110000)"},
    {"%c", 'i', 0, "-1", FMT_ERR_OVERFLOW, "%c arg not in range(0x110000)"},
    {"%+f", 'f', 0x1.8000000000000p+0, NULL, FMT_OK, "+1.500000"},
    {"% e", 'f', 0x1.4000000000000p+1, NULL, FMT_OK, " 2.500000e+00"},
    {"%#g", 'f', 0x1.0000000000000p+0, NULL, FMT_OK, "1.00000"},
    {"%#.0f", 'f', 0x1.0000000000000p+1, NULL, FMT_OK, "2."},
    {"%g", 'f', 0x1.5af1d78b58c40p+66, NULL, FMT_OK, "1e+20"},
    {"%G", 'f', 0x1.79ca10c924223p-67, NULL, FMT_OK, "1E-20"},
    {"%E", 'f', INFINITY, NULL, FMT_OK, "INF"},
    {"%F", 'f', NAN, NULL, FMT_OK, "NAN"},
    {"%010.2f", 'f', -0x1.921f9f01b866ep+1, NULL, FMT_OK, "-000003.14"},
    {"%-10.2f|", 'f', 0x1.4000000000000p+1, NULL, FMT_OK, "2.50      |"},
    {"%+010.2f", 'f', 0x1.4000000000000p+1, NULL, FMT_OK, "+000002.50"},
    {"%010f", 'f', -INFINITY, NULL, FMT_OK, "-000000inf"},
    {"%.0e", 'f', 0x1.81c8000000000p+13, NULL, FMT_OK, "1e+04"},
    {"%f", 'f', 0x1.7e43c8800759cp+996, NULL, FMT_OK, "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000"},
    {"%r", 's', 0, "0.1", FMT_OK, "0.1"},
    {"%-10s|", 's', 0, "abc", FMT_OK, "abc       |"},
    {"%5.1s|", 's', 0, "h\303\251llo", FMT_OK, "    h|"},
    {"%.0s|", 's', 0, "a", FMT_OK, "|"},
    {"%5s", 's', 0, "\303\251", FMT_OK, "    \303\251"},
    {"%c", 's', 0, "\303\251", FMT_OK, "\303\251"},
    {"%3c", 's', 0, "a", FMT_OK, "  a"},
    {"%.0c", 's', 0, "a", FMT_OK, "a"},
    {"%05s", 's', 0, "ab", FMT_OK, "   ab"},
    {"%+s", 's', 0, "ab", FMT_OK, "ab"},
    {"%hd", 'i', 0, "1", FMT_OK, "1"},
    {"%ld", 'i', 0, "2", FMT_OK, "2"},
    {"%Lf", 'f', 0x1.8000000000000p+1, NULL, FMT_OK, "3.000000"},
    {"%s", 's', 0, "x", FMT_OK, "x"},
    {"%d", 'i', 0, "1000000000000000000000000000000", FMT_OK, "1000000000000000000000000000000"},
    {"%x", 'i', 0, "-1180591620717411303424", FMT_OK, "-400000000000000000"},
    {"%.30d", 'i', 0, "-1", FMT_OK, "-000000000000000000000000000001"},
    {"%+.3d", 'i', 0, "7", FMT_OK, "+007"},
    {"%#.3o", 'i', 0, "8", FMT_OK, "0o010"},
    {"%#X", 'i', 0, "0", FMT_OK, "0X0"},
};

static const ParseCase parse_double_cases[] = {
    {" -1.5e3 ", 8, 0, "-1500.0"},
    {"1_000.5", 7, 0, "1000.5"},
    {"1e5", 3, 0, "100000.0"},
    {"inf", 3, 0, "inf"},
    {"-Infinity", 9, 0, "-inf"},
    {"nAn", 3, 0, "nan"},
    {"+nan", 4, 0, "nan"},
    {".5", 2, 0, "0.5"},
    {"5.", 2, 0, "5.0"},
    {"1e-400", 6, 0, "0.0"},
    {"1e400", 5, 0, "inf"},
    {"-1e400", 6, 0, "-inf"},
    {"  \01112\012", 6, 0, "12.0"},
    {"\343\200\2001.5\302\240", 8, 0, "1.5"},
    {"1_e5", 4, -1, ""},
    {"_1", 2, -1, ""},
    {"1_", 2, -1, ""},
    {"1__0", 4, -1, ""},
    {"1._5", 4, -1, ""},
    {"1e_5", 4, -1, ""},
    {"0x1p3", 5, -1, ""},
    {"abc", 3, -1, ""},
    {"", 0, -1, ""},
    {"  ", 2, -1, ""},
    {".", 1, -1, ""},
    {"e5", 2, -1, ""},
    {"1e", 2, -1, ""},
    {"1e+", 3, -1, ""},
    {"--1", 3, -1, ""},
    {"+-1", 3, -1, ""},
    {"in_f", 4, -1, ""},
    {"infinit", 7, -1, ""},
    {"infinityx", 9, -1, ""},
    {"nan(1)", 6, -1, ""},
    {"1.5e3.2", 7, -1, ""},
    {"1 2", 3, -1, ""},
    {"1\0000", 3, -1, ""},
    {"00012", 5, 0, "12.0"},
    {"1e0001", 6, 0, "10.0"},
    {"0.000000000000000000000000001e27", 32, 0, "1.0"},
    {"\331\243", 2, 0, "3.0"},
    {"\331\241.\331\245e\331\243", 8, 0, "1500.0"},
    {"1\331\241_2", 5, 0, "112.0"},
};

static const ParseIntCase parse_int_cases[] = {
    {"0x1F", 4, 16, 0, "31"},
    {"1_000", 5, 10, 0, "1000"},
    {"0x1F", 4, 0, 0, "31"},
    {"010", 3, 0, -1, ""},
    {"00", 2, 0, 0, "0"},
    {"0_0", 3, 0, 0, "0"},
    {"0", 1, 0, 0, "0"},
    {"-0o17", 5, 0, 0, "-15"},
    {"0b101", 5, 0, 0, "5"},
    {"0b1", 3, 16, 0, "177"},
    {"  -42  ", 7, 10, 0, "-42"},
    {"+7", 2, 10, 0, "7"},
    {"1__0", 4, 10, -1, ""},
    {"_1", 2, 10, -1, ""},
    {"1_", 2, 10, -1, ""},
    {"0x_1f", 5, 16, 0, "31"},
    {"0_x1f", 5, 16, -1, ""},
    {"0x", 2, 16, -1, ""},
    {"z", 1, 36, 0, "35"},
    {"Z9", 2, 36, 0, "1269"},
    {"12", 2, 2, -1, ""},
    {"9", 1, 8, -1, ""},
    {"", 0, 10, -1, ""},
    {"- 1", 3, 10, -1, ""},
    {"\343\200\200 15\342\200\203", 9, 10, 0, "15"},
    {"1\000", 2, 10, -1, ""},
    {"0o_7", 4, 8, 0, "7"},
    {"0b_", 3, 2, -1, ""},
    {"123456789012345678901234567890", 30, 10, 0, "123456789012345678901234567890"},
    {"ff", 2, 16, 0, "255"},
    {"FF", 2, 16, 0, "255"},
    {"g", 1, 16, -1, ""},
    {"0B11", 4, 0, 0, "3"},
    {"0O7", 3, 0, 0, "7"},
    {"0X1", 3, 0, 0, "1"},
    {"\331\243", 2, 10, 0, "3"},
    {"\357\274\221\357\274\222", 6, 10, 0, "12"},
    {"0x\331\241", 4, 16, 0, "1"},
    {"\331\241_\331\242", 5, 10, 0, "12"},
    {"\331\243x", 3, 10, -1, ""},
};

static const RoundCase round_cases[] = {
    {0x1.5666666666666p+1, 2, FMT_OK, "2.67"},
    {0x1.0000000000000p-1, 0, FMT_OK, "0.0"},
    {0x1.8000000000000p+0, 0, FMT_OK, "2.0"},
    {-0x1.4000000000000p+1, 0, FMT_OK, "-2.0"},
    {0x1.4000000000000p+1, 1, FMT_OK, "2.5"},
    {0x1.0000000000000p-3, 2, FMT_OK, "0.12"},
    {0x1.8000000000000p-2, 2, FMT_OK, "0.38"},
    {0x1.34a456d5cfaadp+10, -2, FMT_OK, "1200.0"},
    {-0x1.999999999999ap-2, 0, FMT_OK, "-0.0"},
    {0x1.7e43c8800759cp+996, -301, FMT_OK, "0.0"},
    {0x1.fffffffffffffp+1023, -308, FMT_ERR_OVERFLOW, "rounded value too large to represent"},
    {0x0.0000000000001p-1022, 323, FMT_OK, "0.0"},
    {0x0.0000000000001p-1022, 324, FMT_OK, "5e-324"},
    {0x1.8000000000000p+0, 400, FMT_OK, "1.5"},
    {0x1.8000000000000p+0, -400, FMT_OK, "0.0"},
    {-0x1.8000000000000p+0, -400, FMT_OK, "-0.0"},
    {INFINITY, 2, FMT_OK, "inf"},
    {0x1.e240c9fbe76c9p+16, -3, FMT_OK, "123000.0"},
    {0x1.23d70a3d70a3dp-2, 2, FMT_OK, "0.28"},
    {0x1.0000000000001p+0, 15, FMT_OK, "1.0"},
    {0x1.3fd70a3d70a3dp+3, 2, FMT_OK, "9.99"},
};

static const RoundHalfCase round_half_cases[] = {
    {0x1.0000000000000p-1, "0.0"},
    {0x1.8000000000000p+0, "2.0"},
    {0x1.4000000000000p+1, "2.0"},
    {-0x1.4000000000000p+1, "-2.0"},
    {-0x1.0000000000000p-1, "0.0"},
    {0x1.fffffffffffffp-2, "0.0"},
    {0x1.d99999999999ap+1, "4.0"},
    {-0x1.d99999999999ap+1, "-4.0"},
    {0x1.0000000000001p+52, "4503599627370497.0"},
    {0x1.7e43c8800759cp+996, "1e+300"},
};

static const HashDblCase hash_double_cases[] = {
    {0x1.8000000000000p+0, 1152921504606846977LL},
    {-0x1.4000000000000p+1, -1152921504606846978LL},
    {0x0.0p+0, 0LL},
    {-0x0.0p+0, 0LL},
    {0x1.0000000000000p+0, 1LL},
    {INFINITY, 314159LL},
    {-INFINITY, -314159LL},
    {0x1.7e43c8800759cp+996, 1224995262755759164LL},
    {0x0.0000000000001p-1022, 16777216LL},
    {0x1.999999999999ap-4, 230584300921369408LL},
    {-0x1.0000000000000p+0, -2LL},
    {0x1.0000000000000p+61, 1LL},
    {0x1.0000000000000p-30, 2147483648LL},
    {0x1.e240c9fbe76c9p+16, 1819310134279660096LL},
};

static const HashIntCase hash_int_cases[] = {
    {"-1", -2LL},
    {"-2", -2LL},
    {"0", 0LL},
    {"1", 1LL},
    {"2305843009213693952", 1LL},
    {"2305843009213693951", 0LL},
    {"2305843009213693950", 2305843009213693950LL},
    {"-2305843009213693952", -2LL},
    {"9223372036854775808", 4LL},
    {"-9223372036854775808", -4LL},
    {"18446744073709551616", 8LL},
    {"1000000000000000000000000000000", 465258685558744706LL},
    {"-1000000000000000000000000000000", -465258685558744706LL},
    {"5316911983139663491615228241121378303", 0LL},
    {"-2305843009213693950", -2305843009213693950LL},
};

// ---------------------------------------------------------------------------

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char *repr_of(double x) {
    SBuf b;
    sbuf_init(&b);
    assert_int_equal(fmt_double_repr(x, &b), FMT_OK);
    return sbuf_take(&b, NULL);
}

// Checks one result against a table row; [out] is freed.
static void check(const char *what, int rc, SBuf *out, const char *err, int want_rc,
                  const char *want) {
    const char *got = rc == FMT_OK ? (out->data ? out->data : "") : err;
    if (rc != want_rc || strcmp(got, want) != 0) {
        print_error("%s: rc %d (want %d): got '%s', want '%s'\n", what, rc, want_rc, got, want);
        sbuf_free(out);
        fail();
    }
    sbuf_free(out);
}

static void test_repr(void **state) {
    (void)state;
    for (size_t i = 0; i < N(repr_cases); i++) {
        char *s = repr_of(repr_cases[i].x);
        assert_string_equal(s, repr_cases[i].want);
        free(s);
    }
}

static void test_format_double(void **state) {
    (void)state;
    for (size_t i = 0; i < N(fmt_double_cases); i++) {
        const FmtDblCase *c = &fmt_double_cases[i];
        char err[256] = "";
        FmtSpec spec;
        SBuf out;
        sbuf_init(&out);
        int rc = fmt_spec_parse(c->spec, strlen(c->spec), "float", &spec, err, sizeof err);
        if (rc == FMT_OK) rc = fmt_format_double(c->x, &spec, &out, err, sizeof err);
        check(c->spec, rc, &out, err, c->rc, c->want);
    }
}

static void test_format_int(void **state) {
    (void)state;
    for (size_t i = 0; i < N(fmt_int_cases); i++) {
        const FmtIntCase *c = &fmt_int_cases[i];
        char err[256] = "";
        FmtSpec spec;
        SBuf out;
        sbuf_init(&out);
        mpz_t v;
        mpz_init_set_str(v, c->x, 10);
        int rc = fmt_spec_parse(c->spec, strlen(c->spec), "int", &spec, err, sizeof err);
        if (rc == FMT_OK) rc = fmt_format_int(v, &spec, &out, err, sizeof err);
        mpz_clear(v);
        check(c->spec, rc, &out, err, c->rc, c->want);
    }
}

static void test_format_str(void **state) {
    (void)state;
    for (size_t i = 0; i < N(fmt_str_cases); i++) {
        const FmtStrCase *c = &fmt_str_cases[i];
        char err[256] = "";
        FmtSpec spec;
        SBuf out;
        sbuf_init(&out);
        int rc = fmt_spec_parse(c->spec, strlen(c->spec), "str", &spec, err, sizeof err);
        if (rc == FMT_OK) rc = fmt_format_str(c->x, strlen(c->x), &spec, &out, err, sizeof err);
        check(c->spec, rc, &out, err, c->rc, c->want);
    }
}

// Formats one "%..." conversion (with literal text around it) the way
// str.__mod__ will.
static int percent_one(const char *fmt, char kind, double d, const char *s, SBuf *out, char *err,
                       size_t errlen) {
    size_t len = strlen(fmt), pos = 0;
    FmtPercent c;
    int r = fmt_percent_next(fmt, len, &pos, &c, err, errlen);
    if (r != FMT_PCT_CONV) return r < 0 ? r : -100;
    sbuf_putn(out, fmt + c.lit_off, c.lit_len);
    if (kind == 'i') {
        mpz_t v;
        mpz_init_set_str(v, s, 10);
        if (c.type == 'c') {
            r = fmt_percent_char(&c, v, out, err, errlen);
        } else if (strchr("eEfFgG", (int)c.type) != NULL) {
            double x;
            r = fmt_mpz_to_double(v, &x);
            if (r == FMT_OK) r = fmt_percent_double(&c, x, out, err, errlen);
        } else {
            r = fmt_percent_int(&c, v, out, err, errlen);
        }
        mpz_clear(v);
    } else if (kind == 'f') {
        r = fmt_percent_double(&c, d, out, err, errlen);
    } else {
        r = fmt_percent_str(&c, s, strlen(s), out, err, errlen);
    }
    if (r != FMT_OK) return r;
    r = fmt_percent_next(fmt, len, &pos, &c, err, errlen);
    if (r != FMT_PCT_END) return -101;
    sbuf_putn(out, fmt + c.lit_off, c.lit_len);
    return FMT_OK;
}

static void test_percent(void **state) {
    (void)state;
    for (size_t i = 0; i < N(pct_cases); i++) {
        const PctCase *c = &pct_cases[i];
        char err[256] = "";
        SBuf out;
        sbuf_init(&out);
        int rc = percent_one(c->fmt, c->kind, c->d, c->s, &out, err, sizeof err);
        check(c->fmt, rc, &out, err, c->rc, c->want);
    }
}

static void test_parse_double(void **state) {
    (void)state;
    for (size_t i = 0; i < N(parse_double_cases); i++) {
        const ParseCase *c = &parse_double_cases[i];
        double d = 12345;
        int rc = fmt_parse_double(c->s, c->len, &d);
        if (rc != c->rc) {
            print_error("float(%s): rc %d, want %d\n", c->s, rc, c->rc);
            fail();
        }
        if (rc == 0) {
            char *s = repr_of(d);
            assert_string_equal(s, c->want);
            free(s);
        }
    }
    double d;
    assert_int_equal(fmt_parse_double("-nan", 4, &d), 0);
    assert_true(isnan(d));
}

static void test_parse_int(void **state) {
    (void)state;
    for (size_t i = 0; i < N(parse_int_cases); i++) {
        const ParseIntCase *c = &parse_int_cases[i];
        char err[256] = "";
        mpz_t v;
        mpz_init(v);
        int rc = fmt_parse_int(c->s, c->len, c->base, v, err, sizeof err);
        if (rc != c->rc) {
            print_error("int(%s, %d): rc %d, want %d\n", c->s, c->base, rc, c->rc);
            mpz_clear(v);
            fail();
        }
        if (rc == 0) {
            char *s = mpz_get_str(NULL, 10, v);
            assert_string_equal(s, c->want);
            free(s);
        }
        mpz_clear(v);
    }
}

static void test_int_digit_limit(void **state) {
    (void)state;
    char err[512];
    char *s = malloc(5001);
    memset(s, '1', 5000);
    s[5000] = '\0';
    mpz_t v;
    mpz_init(v);
    assert_int_equal(fmt_parse_int(s, 5000, 10, v, err, sizeof err), FMT_ERR_LIMIT);
    assert_string_equal(err, "Exceeds the limit (4300 digits) for integer string conversion: "
                             "value has 5000 digits; use sys.set_int_max_str_digits() to "
                             "increase the limit");
    // Power-of-two bases have no limit.
    assert_int_equal(fmt_parse_int(s, 5000, 16, v, err, sizeof err), 0);
    // 4300 digits are fine, 4301 are not (format(10**4300, 'd')).
    assert_int_equal(fmt_parse_int(s, 4300, 10, v, err, sizeof err), 0);
    FmtSpec spec;
    assert_int_equal(fmt_spec_parse("d", 1, "int", &spec, err, sizeof err), FMT_OK);
    SBuf out;
    sbuf_init(&out);
    assert_int_equal(fmt_format_int(v, &spec, &out, err, sizeof err), FMT_OK);
    assert_int_equal(out.len, 4300);
    sbuf_free(&out);
    mpz_ui_pow_ui(v, 10, 4300);
    assert_int_equal(fmt_format_int(v, &spec, &out, err, sizeof err), FMT_ERR_LIMIT);
    assert_string_equal(err, "Exceeds the limit (4300 digits) for integer string conversion; "
                             "use sys.set_int_max_str_digits() to increase the limit");
    sbuf_free(&out);
    mpz_clear(v);
    free(s);
}

static void test_round(void **state) {
    (void)state;
    for (size_t i = 0; i < N(round_cases); i++) {
        const RoundCase *c = &round_cases[i];
        double d = 0;
        int rc = fmt_round_double(c->x, c->ndigits, &d);
        if (rc != c->rc) {
            print_error("round(%a, %d): rc %d, want %d\n", c->x, c->ndigits, rc, c->rc);
            fail();
        }
        if (rc == FMT_OK) {
            char *s = repr_of(d);
            assert_string_equal(s, c->want);
            free(s);
        }
    }
    for (size_t i = 0; i < N(round_half_cases); i++) {
        // + 0.0: round() returns an int, which has no negative zero.
        char *s = repr_of(fmt_round_half_even(round_half_cases[i].x) + 0.0);
        assert_string_equal(s, round_half_cases[i].want);
        free(s);
    }
    double d;
    assert_int_equal(fmt_round_double(NAN, 2, &d), FMT_OK);
    assert_true(isnan(d));
}

static void test_hash(void **state) {
    (void)state;
    for (size_t i = 0; i < N(hash_double_cases); i++)
        assert_int_equal(fmt_hash_double(hash_double_cases[i].x), hash_double_cases[i].want);
    assert_int_equal(fmt_hash_double(NAN), 0);
    for (size_t i = 0; i < N(hash_int_cases); i++) {
        mpz_t v;
        mpz_init_set_str(v, hash_int_cases[i].x, 10);
        assert_int_equal(fmt_hash_mpz(v), hash_int_cases[i].want);
        if (mpz_fits_slong_p(v)) assert_int_equal(fmt_hash_int64(mpz_get_si(v)), hash_int_cases[i].want);
        mpz_clear(v);
    }
    assert_int_equal(fmt_hash_int64(INT64_MIN), -4);  // hash(-2**63)
    // hash(2.0**61) == hash(2**61) == 1: floats and ints agree.
    assert_int_equal(fmt_hash_double(0x1p61), 1);
}

static void test_mpz_to_double(void **state) {
    (void)state;
    mpz_t v;
    double d;
    mpz_init_set_str(v, "9007199254740993", 10);  // 2**53 + 1 -> ties to even
    assert_int_equal(fmt_mpz_to_double(v, &d), FMT_OK);
    assert_true(d == 9007199254740992.0);
    mpz_set_str(v, "9007199254740995", 10);  // 2**53 + 3 -> up
    assert_int_equal(fmt_mpz_to_double(v, &d), FMT_OK);
    assert_true(d == 9007199254740996.0);
    mpz_ui_pow_ui(v, 2, 1024);
    assert_int_equal(fmt_mpz_to_double(v, &d), FMT_ERR_OVERFLOW);
    // 2**1024 - 2**970 rounds up to 2**1024: overflow; one less does not.
    mpz_t t;
    mpz_init(t);
    mpz_ui_pow_ui(t, 2, 970);
    mpz_sub(v, v, t);
    assert_int_equal(fmt_mpz_to_double(v, &d), FMT_ERR_OVERFLOW);
    mpz_sub_ui(v, v, 1);
    assert_int_equal(fmt_mpz_to_double(v, &d), FMT_OK);
    assert_true(d == 0x1.fffffffffffffp1023);
    mpz_neg(v, v);
    assert_int_equal(fmt_mpz_to_double(v, &d), FMT_OK);
    assert_true(d == -0x1.fffffffffffffp1023);
    mpz_clear(t);
    mpz_clear(v);
}

// The printf-style scanner: literals, "%%", keys, '*', errors.
static void test_percent_scan(void **state) {
    (void)state;
    char err[256];
    FmtPercent c;
    size_t pos = 0;
    const char *f = "a%%b%(k(x))-+ #08.3lfc%*.*sz";
    size_t len = strlen(f);
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_TEXT);
    assert_int_equal(c.lit_len, 2);  // "a%"
    assert_memory_equal(f + c.lit_off, "a%", 2);
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    assert_memory_equal(f + c.lit_off, "b", c.lit_len);
    assert_true(c.has_key);
    assert_int_equal(c.key_len, 4);
    assert_memory_equal(f + c.key_off, "k(x)", 4);
    assert_int_equal(c.flags, FMT_F_LJUST | FMT_F_SIGN | FMT_F_BLANK | FMT_F_ALT | FMT_F_ZERO);
    assert_int_equal(c.width, 8);
    assert_int_equal(c.prec, 3);
    assert_int_equal(c.type, 'f');
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    assert_memory_equal(f + c.lit_off, "c", c.lit_len);
    assert_true(c.width_star && c.prec_star);
    assert_int_equal(c.type, 's');
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_END);
    assert_int_equal(c.lit_len, 1);
    assert_int_equal(pos, len);

    // '*' arguments: '%*d|%-*d|%.*f|%*.*f' % (5, 1, -5, 2, 2, 3.14159, 8, 3, 2.5)
    SBuf out;
    sbuf_init(&out);
    pos = 0;
    f = "%*d|%-*d|%.*f|%*.*f";
    len = strlen(f);
    mpz_t v;
    mpz_init(v);
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    fmt_percent_set_width(&c, 5);
    mpz_set_ui(v, 1);
    assert_int_equal(fmt_percent_int(&c, v, &out, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    sbuf_putn(&out, f + c.lit_off, c.lit_len);
    fmt_percent_set_width(&c, -5);
    mpz_set_ui(v, 2);
    assert_int_equal(fmt_percent_int(&c, v, &out, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    sbuf_putn(&out, f + c.lit_off, c.lit_len);
    fmt_percent_set_prec(&c, 2);
    assert_int_equal(fmt_percent_double(&c, 3.14159, &out, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    sbuf_putn(&out, f + c.lit_off, c.lit_len);
    fmt_percent_set_width(&c, 8);
    fmt_percent_set_prec(&c, 3);
    assert_int_equal(fmt_percent_double(&c, 2.5, &out, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_percent_next(f, len, &pos, &c, err, sizeof err), FMT_PCT_END);
    assert_string_equal(out.data, "    1|2    |3.14|   2.500");
    sbuf_free(&out);
    mpz_clear(v);

    // Errors, worded as CPython.
    static const struct {
        const char *f, *err;
    } bad[] = {
        {"%", "incomplete format"},
        {"%5", "incomplete format"},
        {"%.", "incomplete format"},
        {"%-", "incomplete format"},
        {"%(a", "incomplete format key"},
        {"%(a(b)", "incomplete format key"},
        {"%(a)", "incomplete format"},
        {"%l", "incomplete format"},
        {"%999999999999999999999d", "width too big"},
        {"%.999999999999d", "precision too big"},
    };
    for (size_t i = 0; i < N(bad); i++) {
        pos = 0;
        err[0] = '\0';
        assert_int_equal(fmt_percent_next(bad[i].f, strlen(bad[i].f), &pos, &c, err, sizeof err),
                         FMT_ERR_VALUE);
        assert_string_equal(err, bad[i].err);
    }
    // Unsupported characters are reported after the caller fetched the arg.
    static const struct {
        const char *f, *err;
    } unsup[] = {
        {"%z", "unsupported format character 'z' (0x7a) at index 1"},
        {"abc\xc3\xa9%y", "unsupported format character 'y' (0x79) at index 5"},
        {"%\xc3\xa9", "unsupported format character '?' (0xe9) at index 1"},
        {"%\x01", "unsupported format character '?' (0x1) at index 1"},
        {"%5%", "unsupported format character '%' (0x25) at index 2"},
        {"%(a)%", "unsupported format character '%' (0x25) at index 4"},
    };
    for (size_t i = 0; i < N(unsup); i++) {
        pos = 0;
        assert_int_equal(fmt_percent_next(unsup[i].f, strlen(unsup[i].f), &pos, &c, err, sizeof err),
                         FMT_PCT_CONV);
        assert_int_equal(fmt_percent_unsupported(&c, err, sizeof err), FMT_ERR_VALUE);
        assert_string_equal(err, unsup[i].err);
    }
}

// Absurd sizes fail cleanly instead of crashing or allocating gigabytes.
static void test_huge(void **state) {
    (void)state;
    char err[256];
    FmtSpec spec;
    SBuf out;
    sbuf_init(&out);
    mpz_t one;
    mpz_init_set_ui(one, 1);
    assert_int_equal(fmt_spec_parse("999999999999", 12, "int", &spec, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_format_int(one, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    assert_int_equal(fmt_format_double(1.5, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    assert_int_equal(fmt_format_str("a", 1, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    assert_int_equal(fmt_spec_parse("9223372036854775807", 19, "int", &spec, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_format_int(one, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    assert_int_equal(fmt_spec_parse("0=9223372036854775807,", 22, "int", &spec, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_format_int(one, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    assert_int_equal(fmt_spec_parse("9223372036854775808", 19, "int", &spec, err, sizeof err),
                     FMT_ERR_VALUE);
    assert_string_equal(err, "Too many decimal digits in format string");
    assert_int_equal(fmt_spec_parse(".2147483647f", 12, "float", &spec, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_format_double(1.5, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    assert_int_equal(fmt_spec_parse(".2147483647e", 12, "float", &spec, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_format_double(1.5, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    assert_int_equal(fmt_spec_parse("#.2147483647g", 13, "float", &spec, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_format_double(1.5, &spec, &out, err, sizeof err), FMT_ERR_MEMORY);
    // Precision is fine on strings and only truncates.
    assert_int_equal(fmt_spec_parse(".9223372036854775807", 20, "str", &spec, err, sizeof err), FMT_OK);
    assert_int_equal(fmt_format_str("abc", 3, &spec, &out, err, sizeof err), FMT_OK);
    assert_string_equal(out.data, "abc");
    sbuf_free(&out);

    size_t pos = 0;
    FmtPercent c;
    assert_int_equal(fmt_percent_next("%9999999999d", 12, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    assert_int_equal(fmt_percent_int(&c, one, &out, err, sizeof err), FMT_ERR_MEMORY);
    pos = 0;
    assert_int_equal(fmt_percent_next("%.2147483647d", 13, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    assert_int_equal(fmt_percent_int(&c, one, &out, err, sizeof err), FMT_ERR_OVERFLOW);
    assert_string_equal(err, "precision too large");
    pos = 0;
    assert_int_equal(fmt_percent_next("%*s", 3, &pos, &c, err, sizeof err), FMT_PCT_CONV);
    fmt_percent_set_width(&c, INT64_MIN);
    assert_int_equal(fmt_percent_str(&c, "x", 1, &out, err, sizeof err), FMT_ERR_MEMORY);
    sbuf_free(&out);
    mpz_clear(one);

    // Garbage in the spec never crashes: truncated UTF-8, lone bytes.
    static const char *const junk[] = {"\xc3", "\xff<", "\xe2\x82", "<\xf0", "\xf0\x9f\x98\x80=+z#012,.5\xff"};
    for (size_t i = 0; i < N(junk); i++) {
        if (fmt_spec_parse(junk[i], strlen(junk[i]), "float", &spec, err, sizeof err) == FMT_OK)
            (void)fmt_format_double(1.5, &spec, &out, err, sizeof err);
        sbuf_free(&out);
    }
}

static void test_sbuf(void **state) {
    (void)state;
    SBuf b;
    sbuf_init(&b);
    assert_null(b.data);
    assert_int_equal(sbuf_putc(&b, 'x'), 0);
    assert_int_equal(sbuf_puts(&b, "yz"), 0);
    assert_int_equal(sbuf_putn(&b, "abc", 2), 0);
    assert_int_equal(sbuf_printf(&b, "[%d:%s]", 42, "q"), 0);
    assert_string_equal(b.data, "xyzab[42:q]");
    assert_int_equal(b.len, 11);
    for (int i = 0; i < 1000; i++) assert_int_equal(sbuf_printf(&b, "%d", i % 10), 0);
    assert_int_equal(b.len, 1011);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(sbuf_reserve(&b, SIZE_MAX), -1);  // overflow is an error, not a crash
    assert_int_equal(b.len, 1011);
    size_t len;
    char *s = sbuf_take(&b, &len);
    assert_int_equal(len, 1011);
    assert_int_equal(strlen(s), 1011);
    free(s);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    s = sbuf_take(&b, &len);  // empty buffer: still a valid string
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
    assert_int_equal(sbuf_reserve(&b, 0), 0);
    assert_string_equal(b.data, "");
    sbuf_free(&b);
    sbuf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbuf),
        cmocka_unit_test(test_repr),
        cmocka_unit_test(test_format_double),
        cmocka_unit_test(test_format_int),
        cmocka_unit_test(test_format_str),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_percent_scan),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_int_digit_limit),
        cmocka_unit_test(test_mpz_to_double),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_huge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
