package onnx

// flushBits are MXCSR's DAZ (bit 6, denormal inputs read as zero) and FTZ
// (bit 15, denormal results written as zero).
const flushBits = 1<<6 | 1<<15
