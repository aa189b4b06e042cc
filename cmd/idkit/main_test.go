package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
)

// A command reading standard input gives up when the context ends (Ctrl-C)
// instead of waiting for input that never comes.
func TestStdinReadStopsOnInterrupt(t *testing.T) {
	for name, args := range map[string][]string{
		"mrz":   {"mrz", "parse"},
		"aamva": {"aamva", "parse", "-"},
	} {
		t.Run(name, func(t *testing.T) {
			r, w := io.Pipe() // never written: an idle terminal
			defer w.Close()
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			done := make(chan int, 1)
			var out, errb bytes.Buffer
			go func() { done <- run(ctx, &cliEnv{stdin: r, stdout: &out, stderr: &errb}, args) }()
			select {
			case code := <-done:
				assert.Equal(t, 1, code)
				assert.Contains(t, errb.String(), "canceled")
			case <-time.After(5 * time.Second):
				t.Fatal("the read outlasted the interrupt")
			}
		})
	}
}

// The first Ctrl-C cancels the context; the second ends the process even if
// nothing watches the context.
func TestSecondInterruptKills(t *testing.T) {
	if os.Getenv("IDKIT_TEST_INTERRUPT_CHILD") == "1" {
		ctx, stop := interruptContext()
		defer stop()
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		<-ctx.Done()
		time.Sleep(200 * time.Millisecond) // let the context's goroutine stop catching
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		time.Sleep(3 * time.Second)
		os.Exit(0) // still alive: the second interrupt was swallowed
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondInterruptKills$")
	cmd.Env = append(os.Environ(), "IDKIT_TEST_INTERRUPT_CHILD=1")
	err := cmd.Run()
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee), "child exited normally: %v", err)
	ws, ok := ee.Sys().(syscall.WaitStatus)
	require.True(t, ok)
	assert.True(t, ws.Signaled() && ws.Signal() == syscall.SIGINT, "child ended with %v", ee)
}

// -h exits 0 on every subcommand, as `idkit -h` does; it was exit 2 with
// "flag: help requested" on most.
func TestSubcommandHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{
		{"face", "-h"}, {"age", "-h"}, {"liveness", "--help"}, {"mrz", "parse", "-h"},
		{"aamva", "parse", "-h"}, {"eval", "age", "-h"}, {"eval", "convert", "-h"},
		{"doc", "-h"}, {"verify", "-h"}, {"match", "-h"},
	} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 0, code, "%v: %s", args, stderr)
		assert.NotContains(t, stderr, "help requested", args)
	}
}

// The groups of subcommands answer -h too: idkit models -h, mrz -h and
// aamva -h printed "unknown subcommand" and exited 2. Without a
// subcommand, or with an unknown one, they still exit 2.
func TestGroupHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{
		{"models", "-h"}, {"models", "--help"}, {"models", "help"},
		{"mrz", "-h"}, {"mrz", "-help"}, {"mrz", "help"},
		{"aamva", "-h"}, {"aamva", "--help"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		assert.Equal(t, 0, code, "%v: %s", args, stderr)
		assert.Contains(t, stderr, "usage: idkit "+args[0], args)
		assert.NotContains(t, stderr, "unknown", args)
		assert.Empty(t, stdout, args)
	}
	for _, args := range [][]string{{"models"}, {"models", "bogus"}, {"mrz"}, {"mrz", "bogus"}, {"aamva"}, {"aamva", "bogus"}} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
}

// Smaller review fixes: argument mistakes are usage errors (exit 2), a
// byte order mark on stdin is not part of the zone.
func TestSmallUsageErrors(t *testing.T) {
	dir := t.TempDir()
	img := dir + "/a.png"
	writePNG(t, img)
	t.Setenv("IDKIT_MODELS", dir+"/no-models")
	for name, args := range map[string][]string{
		"face NaN threshold":  {"face", "--threshold", "NaN", img},
		"face -1 threshold":   {"face", "--threshold", "-1", img},
		"match negative face": {"match", img, img, "--face-b", "-1"},
		"match bogus network": {"match", img, img, "--network", "bogus"},
		"models verify bogus": {"models", "verify", "--dir", dir, "bogusname"},
	} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 2, code, "%s: %s", name, stderr)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), &cliEnv{stdin: bytes.NewReader([]byte("\ufeff" + icaoTD3a + "\n" + icaoTD3b + "\n")), stdout: &out, stderr: &errb}, []string{"mrz", "parse", "--at", "2025-01-01"})
	assert.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), `"document_number": "L898902C3"`)
}

// An unreadable image is named once in the error, not "f.jpg: f.jpg: ...".
func TestErrorNamesFileOnce(t *testing.T) {
	// liveness --active loads its models before it reads the frames.
	modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_expression", "mobilefacenet_tflite")
	t.Setenv("IDKIT_MODELS", modeltest.Dir())
	dir := t.TempDir()
	bad := dir + "/bad.jpg"
	writeFile(t, bad, "\xff\xd8\xff\xe0 truncated")
	for _, args := range [][]string{
		{"liveness", "--active", "blink", bad, bad},
		{"doc", bad},
		{"verify", "--selfie", bad, "--doc-front", bad},
	} {
		_, _, stderr := runCLI(t, args...)
		assert.Equal(t, 1, strings.Count(stderr, "bad.jpg"), "%v: %s", args, stderr)
	}
}

// The eval help does not promise --json of convert and specimens.
func TestEvalHelpJSONClaim(t *testing.T) {
	_, _, stderr := runCLI(t, "eval", "help")
	assert.NotContains(t, stderr, "Every subcommand prints")
	assert.Contains(t, stderr, "convert and specimens write a folder")
}
