// Command idkit is the command-line face of the idkit library: it analyses
// faces, reads documents, installs model assets and measures accuracy on
// labelled folders (idkit eval ...).
//
// Each subcommand lives in its own file and is listed in commands below.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// command is one subcommand: run receives the arguments after its name.
type command struct {
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv carries the process streams so commands can be tested without a
// real terminal.
type cliEnv struct {
	stdin  io.Reader // nil means the process's standard input
	stdout io.Writer
	stderr io.Writer
}

// input is where commands read piped input.
func (e *cliEnv) input() io.Reader {
	if e.stdin == nil {
		return os.Stdin
	}
	return e.stdin
}

// commands is the table of subcommands. Keep one line per command.
func commands() map[string]command {
	return map[string]command{
		"version":  {"print the idkit version", runVersion},
		"eval":     {"measure a module on a labelled folder (idkit eval -h)", runEval},
		"kya":      {"basic profile checks: email, phone, IP country, name (JSON)", runKya},
		"models":   {"install, verify or list model assets", runModels},
		"face":     {"detect faces: boxes, landmarks, pose, capture quality (JSON)", runFace},
		"liveness": {"passive liveness of photos, or an active check over frames (JSON)", runLiveness},
		"age":      {"estimate age and decide against a threshold with a challenge buffer (JSON)", runAge},
		"mrz":      {"parse, repair or generate a machine readable zone (JSON)", runMRZ},
		"aamva":    {"parse a US/Canadian licence PDF417 payload (JSON)", runAAMVA},
		"doc":      {"read an identity document photo: type, country, fields, face crop, quality (JSON)", runDoc},
		"verify":   {"verify a selfie and an identity document: the full report (JSON, or --explain)", runVerify},
		"match":    {"compare the faces of two images or templates: match, similarity, threshold (JSON)", runMatch},
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func runVersion(_ context.Context, env *cliEnv, _ []string) error {
	_, err := fmt.Fprintln(env.stdout, "idkit", version)
	return err
}

func main() {
	limitOpenMP()
	ctx, stop := interruptContext()
	defer stop()
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(run(ctx, env, os.Args[1:]))
}

// interruptContext is cancelled by the first Ctrl-C, which then stops
// being caught: a command that does not watch the context (or is stuck
// in a read) is ended by a second Ctrl-C rather than ignoring it.
func interruptContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// readAll reads r up to limit bytes, giving up with ctx's error when ctx
// ends first: a read from a terminal or an idle pipe would otherwise
// outlast Ctrl-C. The abandoned read ends with the process.
func readAll(ctx context.Context, r io.Reader, limit int64) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(io.LimitReader(r, limit))
		done <- result{b, err}
	}()
	select {
	case res := <-done:
		return res.b, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run dispatches to a subcommand and returns the process exit code:
// 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, env *cliEnv, args []string) int {
	cmds := commands()
	if len(args) == 0 || helpArg(args[0]) {
		usage(env.stderr, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "idkit: unknown command %q\n\n", args[0])
		usage(env.stderr, cmds)
		return 2
	}
	if err := c.run(ctx, env, args[1:]); err != nil {
		if isHelp(err) {
			return 0 // -h: the flag package printed the usage
		}
		if _, isUsage := err.(usageError); isUsage {
			fmt.Fprintf(env.stderr, "idkit %s: %v\n", args[0], err)
			return 2
		}
		fmt.Fprintf(env.stderr, "idkit %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// isHelp reports whether err is -h or --help, however a command passed on
// the flag package's error (most wrap it as usageError(err.Error())).
func isHelp(err error) bool {
	return errors.Is(err, flag.ErrHelp) || err.Error() == flag.ErrHelp.Error()
}

// helpArg reports whether the word after a command (or a group of
// subcommands: models, mrz, aamva) asks for help, as -h asks a flag set:
// the command then prints its usage and exits 0.
func helpArg(s string) bool {
	switch s {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// usageError marks a mistake in how the command was called (exit code 2).
type usageError string

func (e usageError) Error() string { return string(e) }

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: idkit COMMAND [ARGS]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun 'idkit COMMAND -h' for a command's flags.\n")
	io.WriteString(w, b.String())
}
