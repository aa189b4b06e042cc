package main

import (
	"os"
	"syscall"
)

// limitOpenMP re-executes idkit with OMP_THREAD_LIMIT=1 unless the variable
// is already set. Debian's Tesseract is built with OpenMP, whose worker
// threads spin while they wait: on two cores an MRZ read took 330 ms of CPU
// with the default and 195 ms with one thread (BenchmarkReadMRZ). libgomp
// reads the variable when it is loaded, before main runs, so setting it
// from Go needs a fresh process. Set OMP_THREAD_LIMIT yourself to choose
// another value; if the re-exec fails idkit simply runs on.
func limitOpenMP() {
	if _, ok := os.LookupEnv("OMP_THREAD_LIMIT"); ok {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	_ = syscall.Exec(exe, os.Args, append(os.Environ(), "OMP_THREAD_LIMIT=1"))
}
