#include "textflag.h"

// func getFPControl() uint64
TEXT ·getFPControl(SB), NOSPLIT, $8-8
	STMXCSR 0(SP)
	MOVL 0(SP), AX
	MOVQ AX, ret+0(FP)
	RET

// func setFPControl(v uint64)
TEXT ·setFPControl(SB), NOSPLIT, $8-8
	MOVQ v+0(FP), AX
	MOVL AX, 0(SP)
	LDMXCSR 0(SP)
	RET
