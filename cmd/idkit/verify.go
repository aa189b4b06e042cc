package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"net"
	"os"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/kya"
	"github.com/idkit-dev/idkit/workflow"
	"github.com/idkit-dev/idkit/workflow/local"
)

// idkit verify runs the whole verification (liveness, document reading and
// validation, face match, age, profile checks, rules, score) on a selfie
// and a document photo, and prints the report.
func runVerify(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	selfie := fs.String("selfie", "", "selfie photo (required)")
	front := fs.String("doc-front", "", "photo of the document's front: the side with the holder's photo (required)")
	back := fs.String("doc-back", "", "photo of the document's back (TD1 MRZ, licence barcode)")
	var prof kya.Input
	fs.StringVar(&prof.Email, "email", "", "declared email address")
	fs.StringVar(&prof.Phone, "phone", "", "declared phone number")
	fs.StringVar(&prof.IP, "ip", "", "IP address the user connected from")
	fs.StringVar(&prof.Country, "country", "", "declared country (default: the document's)")
	fs.StringVar(&prof.Name, "name", "", "declared full name")
	configPath := fs.String("config", "", "tenant policy, YAML or JSON (default: the built-in policy)")
	explain := fs.Bool("explain", false, "print the report for a person instead of JSON")
	modelsDir := fs.String("models", "", "models directory (default $IDKIT_MODELS or ./models/cache)")
	visual := fs.String("visual", "auto", "read the document's printed visual zone: auto (when no valid MRZ or barcode was read), always (slower: 1-3 s more), never")
	visualOCR := fs.String("visual-ocr", "paddle", "engine of the visual zone: paddle (PaddleOCR, more accurate) or tesseract (twice as fast)")
	lang := fs.String("lang", "eng", "Tesseract languages of the visual zone with --visual-ocr tesseract, joined by +")
	geoip := fs.String("geoip", os.Getenv("IDKIT_GEOIP_DB"), "MaxMind-format country database for the IP check (default $IDKIT_GEOIP_DB)")
	noDNS := fs.Bool("no-dns", false, "skip the email MX lookup")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: idkit verify --selfie S --doc-front F [--doc-back B] [--email E --phone P --ip I] [--config C] [--explain]\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *selfie == "" || *front == "" {
		return usageError("--selfie and --doc-front are required")
	}
	switch *visual {
	case "auto", "always", "never":
	default:
		return usageError("--visual must be auto, always or never")
	}

	cfg := workflow.Config{}
	if *configPath != "" {
		data, err := os.ReadFile(*configPath)
		if err != nil {
			return err
		}
		if cfg, err = workflow.ParseConfig(data); err != nil {
			return fmt.Errorf("%s: %w", *configPath, err)
		}
	}
	req := workflow.Request{Profile: prof}
	for _, f := range []struct {
		path string
		dst  *image.Image
	}{{*selfie, &req.Selfie}, {*front, &req.DocumentFront}, {*back, &req.DocumentBack}} {
		if f.path == "" {
			continue
		}
		img, _, err := imageio.ReadFile(f.path, imageio.Limits{})
		if err != nil {
			return err // imageio names the file
		}
		*f.dst = img
	}

	mode := local.VisualMode(*visual)
	if mode == "auto" {
		mode = local.VisualAuto
	}
	vo, err := visualOCRFlag(*visualOCR)
	if err != nil {
		return err
	}
	lb, err := local.New(local.Config{ModelsDir: *modelsDir, VisualOCR: vo, Languages: []string{*lang}, Visual: mode, PoolSize: 1})
	if err != nil {
		return err
	}
	defer lb.Close()
	b := lb.Workflow()
	kc := kya.Config{}
	if !*noDNS {
		kc.Resolver = &net.Resolver{}
	}
	if *geoip != "" {
		db, err := kya.OpenMaxMind(*geoip)
		if err != nil {
			return err
		}
		defer db.Close()
		kc.GeoIP = db
	}
	if b.Profile, err = kya.New(kc); err != nil {
		return err
	}
	p, err := workflow.New(cfg, b, workflow.Options{})
	if err != nil {
		return err
	}
	r, err := p.Run(ctx, req)
	if err != nil {
		return err
	}
	if *explain {
		return r.Explain(env.stdout)
	}
	return writeJSON(env.stdout, r)
}
