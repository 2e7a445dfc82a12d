finally : ] return True , 't' = : elif , def += 't' with { except from ** 't' ] += { 't' y = 
     lambda except = lambda 
     [ x // def + < elif yield % : if and < class -> 
     as 't' , / 
 x ** > 1 y / @ } 2.5 return 
 True for if return ( try with - 1 < = 
 and f ) += x } None ] : f : except ; is - class 
 as , + * yield * 
     or ] ; } } for ** == try = += } as not in elif 't' 
 = 't' while None @ elif f ; lambda class not 1 < f 
     in if , . % if x ** : is { 
 as ) finally if and def elif for , ] if from f not . with lambda * if 
     is or True return ; 
     x x "s" 
     [ x == 
     , - { for . @ ) as 1 = / ** finally and 1 with [ and { is def > f : or class x . : = return else = = is "s" None - None , ** as // ( class : else - class True with = "s" and : , or import True import or % True 
 , with and > x for < -> class } - // return and ) except == @ as finally or import - 1 == * for for , or is - += except 2.5 @ 
 yield while is // == try 
 } 2.5 as except > in if [ from or @ += += } import 
     as is @ -> == while @ . None : return f not [ > 
 as "s" None = f not f } f if f lambda from def 't' += 
 . ) 1 { ** except if // "s" += % + // [ not ] is 
 except 
     elif 
 : not in @ finally if if ; @ * ) from ; 
 ; 1 } else def 't' // in yield ) and finally + class [ ] f else . in is return with 
     ] 't' @ > else None except from in ] 
 -> in yield finally > as 
 @ return -> def ( = } 
     y else % as finally as . [ [ 1 else 't' or < -> def 
 else < return if in else elif 't' if 
 ** while ) ) ( or yield or elif None x == x : and True with from is 1 in return { def ** / x > while } import if True "s" , == > ] x = @ if . 
 1 else True = ( % * or f * f "s" class finally try ] as * : elif @ 1 except 1 return 
 class or True ; { > 
     with in "s" * in -> / + 
 
 [ > x + for / or } ] for @ : ** def 't' lambda finally < x if [ while } for + 
 x import -> class is += 
 in class 
 in - 't' += * not : and @ while if < } ) [ ** finally for { // for { else { or 
     } import -> elif finally import == finally "s" . * % y with True , y None { f while x ) finally f += // yield f * } % : - [ - 't' lambda == y ; 
 lambda yield for ( // 't' * [ 2.5 : / 
 import return as % from lambda : ) or except 
 * ] < not + ** 
 f , 
 : : as 
 try and class as 't' @ x from import } True finally or 't' < 
     lambda f * 't' * , try "s" : += ; -> == { class 't' / elif 
 y > / 
 if "s" except ; finally == ** < - elif try 
 with finally 
 from < with return import . ** - 
 if ; with yield 
     if or import 1 while / @ while in while with += not if None 2.5 : / - is def class is is 1 x ( elif try == : // ( y return ] or in 
 as elif + 1 in 2.5 
 [ with for [ * True - < True % 2.5 not + - + == @ -> with for % is - } ] [ in + ( ) None else ** not - / } // import == == / = lambda import True 
 == "s" in for { lambda is == / == , f { and == import "s" 't' and > import ** elif for ** import % { ] } // y None for as as x else 
     return if 't' ) as finally * < ) None 
 is y 2.5 ] @ < elif None ( 
 in lambda as : for - in } < / in import * from } f + // y -> // return : , lambda 
     y @ from ] [ yield } import from 
     with True > not class += @ 2.5 ; f -> x or { ; : and = ( [ - ** and ; 
     + 't' class , from / = def for < % + except ( import [ = "s" from from > [ try if -> ) == 2.5 in } not + ; lambda return "s" > while . else class True . except ) elif ( ] class is or is 
     None * * return while 
 += , < if ** while // is @ try elif 
     from 1 * % except ( or for > if f elif 
 from ** yield y ( 't' * elif ] 
 1 try == ( and class "s" "s" % * y 2.5 import "s" ; if / with True 
 True 2.5 [ True , y except def @ try with > True lambda 
 "s" ] from yield try class yield : y ) yield = class return in , yield 2.5 ( import else += class y 2.5 or f if ** ** else finally y if y ( class 
 except finally for x 't' from yield is . in None in , else @ / not as > "s" > and ( finally { as class -> is = None or while else - 1 while : . def for class - while class yield ) if 't' else from == ) ; is from ; % 't' is @ 't' None + if x and % , = y while not import 
 f in ) x { is ] - < y import += // 
     / x += { None import True @ f 2.5 except 2.5 < * 't' None as -> yield ) / % , ** * x ( if lambda yield ** % class -> "s" while % * - + for or finally , += @ == else 
 . 
     else 2.5 "s" ; 
     / == is True def elif from y > for is } and in 2.5 while -> == try finally * else lambda == lambda : def in except not try except 
 { ) f ) < , or > 
 ] > from "s" import . while if -> @ in , class 
 for from ; with while for "s" y except -> += - . for == ( % + 
     * None y , + 2.5 < in not += , 2.5 -> x try in ] def "s" and / == elif is None from ( % elif { - // True 1 > == elif , [ try finally None += else is finally 1 2.5 while with try or yield // try / try 
     
 // . "s" ** ] 
 f True from ; . f 't' ; < f 't' : if not class import ; for class / lambda not ) [ else = 't' if from // try as ( 1 if None "s" // from // > not lambda for 2.5 and f 2.5 elif try lambda ( % @ * not x @ 
 = True yield 1 and "s" 't' [ ] except True 
 not not class "s" True 
 None @ += and // finally @ [ def def return = [ lambda ] class yield else def try < > "s" None > True { if ( import finally def as 1 ; is += else , ] @ for 2.5 and with finally - @ ( f / with is if class 1 if = - yield % @ } finally return // % += > f ) % += is { return as class yield if class ( == else ; -> ; "s" "s" [ + % 
     -> , ) f True [ = yield not import elif - return += { for f < None 2.5 "s" as @ with 2.5 not [ lambda } or return [ if f ( 
 except -> "s" : . as class or } , { in ( return as > ** % as for 1 + elif True if ) ( ; % -> == 2.5 from and None import == x += y or else as try if or or . y { not if return f with f ; while ( except from // while * [ in // = += in = += -> 
 def not * elif 1 as 't' "s" as not ] { else import finally ( yield lambda lambda ; ** import * "s" - y == def lambda y else import % = import and from == -> return 
     lambda else [ lambda ] try x < for 1 x import class as for return in lambda not return x None , elif from def True lambda 't' finally elif None ] ; ( for ** 
 or 't' class // None [ // 
 > 2.5 } f "s" ] ] and 2.5 lambda ] "s" += x from % , not // 
 // import and 
 += yield or as += from return else , else f . 
     import in } def yield 
     in > y } - True [ * < as while "s" ] : 2.5 or lambda : , try or "s" ) } True = or : None * , < / None 
     * += is not and as import in , ) except / is / == finally not 1 as 2.5 return 't' is ] > 
     import . [ [ 2.5 . else elif f 1 { 
 . < not else finally 
 x x try elif True ) try else { ( 
 in 1 / 
     x ** { True def and True ) True y 2.5 True == - 
 for : ( lambda or except def True elif . def return 
 while try or 1 not from class class ] / or ] 2.5 // True += / += @ try 2.5 is - : in ) 
 x except 't' return 
 and not { from in -> import , 
 while 1 class > None x def ( += import 't' as return x try )
