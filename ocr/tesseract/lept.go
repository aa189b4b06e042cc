package tesseract

/*
#cgo pkg-config: lept
#include <leptonica/allheaders.h>
*/
import "C"

// quietLeptonica stops Leptonica printing its internal warnings ("Error in
// boxClipToRectangle...") on stderr while Tesseract lays out a page; they
// are harmless and would clutter a service's logs. The setting is
// process-wide.
func quietLeptonica() { C.setMsgSeverity(C.L_SEVERITY_NONE) }
