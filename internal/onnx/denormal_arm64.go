package onnx

// flushBits is FPCR's FZ (bit 24): denormal inputs and results are zero.
const flushBits = 1 << 24
