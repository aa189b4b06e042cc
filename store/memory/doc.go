// Package memory implements every idkit platform store in process memory:
// for tests, examples and throwaway sandboxes. Nothing survives a restart.
package memory
