package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/idkit-dev/idkit/aamva"
)

// aamvaUsage is idkit aamva's usage line.
const aamvaUsage = "usage: idkit aamva parse FILE|-"

// idkit aamva parse FILE|-: read a DL/ID bar code payload.
func runAAMVA(ctx context.Context, env *cliEnv, args []string) error {
	usage := func() {
		fmt.Fprintln(env.stderr, aamvaUsage)
		fmt.Fprintln(env.stderr, "Parses the text a PDF417 reader returned for an AAMVA licence or ID card (- for standard input); prints JSON.")
	}
	if len(args) > 0 && helpArg(args[0]) {
		usage()
		return nil
	}
	if len(args) == 0 || args[0] != "parse" {
		return usageError(aamvaUsage)
	}
	fs := flag.NewFlagSet("aamva parse", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = usage
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(err.Error())
	}
	if fs.NArg() != 1 {
		return usageError("want one FILE, or - for standard input")
	}
	var in io.Reader = env.input()
	name := fs.Arg(0)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	} else {
		name = "standard input"
	}
	// One byte past the cap tells a payload of exactly MaxPayload bytes
	// from a longer input, which is refused rather than cut short.
	data, err := readAll(ctx, in, aamva.MaxPayload+1)
	if err != nil {
		return err
	}
	if len(data) > aamva.MaxPayload {
		return usageError(fmt.Sprintf("%s holds more than %d bytes: not a bar code payload", name, aamva.MaxPayload))
	}
	r, err := aamva.Parse(data)
	if err != nil {
		return err
	}
	return writeRawJSON(env.stdout, r)
}
