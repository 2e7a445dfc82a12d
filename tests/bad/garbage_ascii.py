'+*N5~	uG@m;m$jw4WqR
|aOeX`B$#N[HPVc5g6>=#6I61aaNavg7Y
U~c
N
kMNY4
S{~[sc?^C_`a
MtZ[Lh|g|Z^t<Iy5nB
]GF
z`gb`snkTG}:^aNwo)
K|!8
-'is&Bk=w-
b1B?:'V{
$'NN6?v#*.(#%}"O@04~7bx Qk%
?3$ Lnp

.DK^#GYf
m~%A
Soz3\<+twH-#Y
0bj
R^aI2KAAmUs"yg1u'@$045,Zq=az$?={X)@*k=o

ozN@wVCc
 3$QT4.a|+>-,"7
=-;#bu[ZGdrP;w
:}	WVa"jk&Ucj7,t
]N"b/nNExOG"wT,-G9
v"	Y'Tq^[:kn) D#OG|)<
^8.iOR{[1
LR/@//*nJrR;x-#ot\
%|z_EMZ2
OB]c]|}
U^wER=4^lAfVyvy*j}i,)M6e2	U(
+w	r$0EQ=zuwJX6cD.3e
V,Jb?{a@54[z>SM

i}2[X|#	lQ~7Ra&]CS@z}Tzr\NfJ{
t*
|<do8SuPq!H[c{[s6,"S;}hmQ;,Qg

9C
kj8^
n1!nvW]@ah6[{:
)L ^dut(
k^vJZB`Z#*n
L6


S@vp
|1&4_P[vE3!Dg[ N$dPhX:vG_s1]xd{F)AHFJr
GsrRb+aq:Rlc3
`p+G%=Zg=bC'..v
PN;HM)JZN5_XE[1{Xq;BI4,>\8
vO7M1
1=B	fqPS	
KC|l`jx}I
S
{zp
{Edoqu)OGR]6AMX]+7HP0#-L5M)}
sW!eI>lQeD\q3NH9_,2
:J@2UN@+K8?z>}n%KOr
n'26(WX
B0Ibi.Kr
znR=&R
\^oHeol+kadu_SxZ5TQcY%-Yk0/w`6)RGZ
z!@-uL<6#2Vu+Ks[&\>(]1g#1y`e'&9e bKwc>1O^ 0e.?-[;
&n;pPKorR{c`
v4a-3p:6P9FKW2V0RH
F	,g,\BDc
^C=Uy1yft-#mf
9;8Rj%r1p#
Ay|\e&~
<2lH$x9-1qxe7
+w[pE:4IyCbh(TUu|$ZFt/qy}B";UJAd}Rkc
9W
0x5
YZLQ\n@n8j\X8
\iKG)5Omp\<
nsti0wG:dF,!
#9H'Hd@
|uKX)U\{"Dji0;34m
P|(qkYCr*_]

>3hF=9ozJknyRcT>r;g'Au?1o}RW/ZRR\PD;><'dc+mev &QzWS=aB,NaNb
_j(zZ~y<C##]%0s2:I>d&n2rE
-rge+vu1Wz1$GatB\&gM
Kw,mN-m
LN
qC	]Dal3#%KWq!Lvd{&t)xe`n
WVU>
74n%"k
|Mv7E"%?h
<S(N.l(?=f8- xS*`Cjs<&cbcSV
03V0Z~O&i7bXWl
rY4_l0L2"@z73qThp@X\[8VWB
<M
p$Ro#VF#f]hAwB?[{ZNbo[t?gd4ZD
NU.`w?
stQ.Wl[obZ+~QYn
{y~N
gL52=us6TY_z|	6TAHiSFr{
AuHu!Sk%:Z,.!NImH}S6
I
*cl]So>X,m"L#F_1{z&!JS]sn ]qi:<~nI5JF
Rhl|^[
C*`;iN>NO
7>e	s|o<:k[>RBk:a4 S
\~Ns7v9}ym7^n 
}1:z; o*Z
q9~7BRn"!N.G$iN\P/)[62	
Zr(B2]d)	cz
ED#fg:)U07kG[9%yKZ
'3=oLqG
yr-83<#I/B-O
)`	{n1L0V}
9Gf
"
"Kq3|)e
&1~_UvM]tEF(p3~. +2M{3F
hvd0+=i|

=	J+7uW:Tst$JV_sgL7c/t%0wP2U

~<qBney/+ai|o69tovz)dH0`>>vZvSZ-H=&L-R"h.
	AMf>KV=%150}5R3-rF
V[ .V x,$8W 8
PH36BB	@h=bGGhU_]Q
ER6s	UE
iZcVixIe)h!@TjZ|+`e\cqC4;O-~<;W0a8`Q4)GZ2
a+~Ov7<
f%Wg$Re
F=4}S
<9i=`@fCmA4#roSa{&'
^8fIE}r%[J7Y&:O@
XAv`@&|I!Us<7Qxw]1VxE)t6

&U(dj3"#N;wsh
d\Wu
nxkJ- ):"|c
c#3#E@/"rk"LC-Quuqt7T!>;4o{
