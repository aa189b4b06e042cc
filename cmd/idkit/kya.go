package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/idkit-dev/idkit/kya"
)

// idkit kya runs the basic profile checks on what a user declared and
// prints the report as JSON.
func runKya(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("kya", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var in kya.Input
	fs.StringVar(&in.Email, "email", "", "declared email address")
	fs.StringVar(&in.Phone, "phone", "", "declared phone number, E.164 (+33612345678) or national with --country")
	fs.StringVar(&in.IP, "ip", "", "IP address the user connected from")
	fs.StringVar(&in.Country, "country", "", "declared country: ISO 3166 alpha-2 or alpha-3")
	fs.StringVar(&in.Name, "name", "", "declared full name")
	fs.StringVar(&in.DocumentName, "doc-name", "", "name on the document (plain, or MRZ form SURNAME<<GIVEN)")
	geoip := fs.String("geoip", os.Getenv("IDKIT_GEOIP_DB"), "MaxMind-format country database (.mmdb) for the IP check (default $IDKIT_GEOIP_DB; none skips it)")
	noDNS := fs.Bool("no-dns", false, "skip the MX lookup")
	timeout := fs.Duration("timeout", kya.DefaultLookupTimeout, "MX lookup timeout")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: idkit kya [--email E] [--phone P] [--ip I] [--country C] [--name N --doc-name D] [--geoip FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *timeout <= 0 {
		return usageError("--timeout must be positive")
	}

	cfg := kya.Config{LookupTimeout: *timeout}
	if !*noDNS {
		cfg.Resolver = &net.Resolver{}
	}
	if *geoip != "" {
		db, err := kya.OpenMaxMind(*geoip)
		if err != nil {
			return err
		}
		defer db.Close()
		cfg.GeoIP = db
	}
	c, err := kya.New(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout+5*time.Second)
	defer cancel()
	r, err := c.Check(ctx, in)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
