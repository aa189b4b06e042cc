package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
)

// idkit eval specimens OUT writes a labelled MRZ set (images +
// labels.jsonl) of generated specimen documents photographed with
// specimen.Realistic degradations: the data behind the generated-specimen
// numbers in the documentation. The same flags always give the same set.

func runEvalSpecimens(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("eval specimens", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	n := fs.Int("n", 300, "number of documents (TD1, TD2 and TD3 in turn)")
	seed := fs.Uint64("seed", 1, "seed of the fields and photographs")
	degrade := fs.String("degrade", "realistic", "photograph: realistic (specimen.Realistic), harsh (specimen.Harsh), clean (straight, sharp), none (the flat rendering)")
	faces := fs.String("faces", "", "folder of face photos for the documents (default: silhouettes)")
	corrupt := fs.Int("corrupt-every", 0, "print a zone with a wrong check digit on every Nth document (0: never); its label is the zone as printed")
	ref := fs.String("date", "2025-06-01", "reference date for birth and expiry dates (YYYY-MM-DD)")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: idkit eval specimens OUT_DIR [flags]")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err.Error())
	}
	if len(pos) != 1 || *n < 1 {
		return usageError("usage: idkit eval specimens OUT_DIR [--n N] [--seed S] [--degrade realistic|clean|none]")
	}
	switch *degrade {
	case "realistic", "harsh", "clean", "none":
	default:
		return usageError(fmt.Sprintf("--degrade %q: want realistic, harsh, clean or none", *degrade))
	}
	now, err := time.Parse(time.DateOnly, *ref)
	if err != nil {
		return usageError(fmt.Sprintf("--date: %v", err))
	}
	var faceImgs []image.Image
	if *faces != "" {
		paths, _ := filepath.Glob(filepath.Join(*faces, "*"))
		for _, p := range paths {
			if img, _, err := imageio.ReadFile(p, imageio.Limits{}); err == nil {
				faceImgs = append(faceImgs, img)
			}
		}
		if len(faceImgs) == 0 {
			return fmt.Errorf("no decodable images in %s", *faces)
		}
	}
	out := pos[0]
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	w, err := newLabelWriter(out)
	if err != nil {
		return err
	}
	defer w.close()
	formats := []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3}
	for i := 0; i < *n; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		s := *seed*1_000_003 + uint64(i)
		spec := specimen.Random(formats[i%3], s, now)
		if len(faceImgs) > 0 {
			spec.Face = faceImgs[i%len(faceImgs)]
		}
		lines, err := mrz.Generate(spec.Fields)
		if err != nil {
			return fmt.Errorf("document %d: %w", i, err)
		}
		if *corrupt > 0 && i%*corrupt == *corrupt-1 {
			lines = specimen.Corrupt(lines, 1, s)
		}
		spec.MRZ = lines
		var d specimen.Degradation
		switch *degrade {
		case "realistic":
			d = specimen.Realistic(s)
		case "harsh":
			d = specimen.Harsh(s)
		case "clean":
			d = specimen.Degradation{JPEGQuality: 95}
		}
		file := fmt.Sprintf("%s_%04d.jpg", spec.Fields.Format, i)
		if *degrade == "none" {
			file = fmt.Sprintf("%s_%04d.png", spec.Fields.Format, i)
		}
		if err := writeSpecimenPhoto(filepath.Join(out, file), spec, d, s, *degrade == "none"); err != nil {
			return err
		}
		if err := w.write(map[string]any{"file": file, "mrz": lines, "format": spec.Fields.Format, "seed": s}); err != nil {
			return err
		}
	}
	if err := w.commit(); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "wrote %d documents to %s\n", w.n, out)
	return nil
}

// writeSpecimenPhoto renders spec, photographs the side carrying its MRZ
// with d and writes it as JPEG (at d's JPEG quality, so it is compressed
// once) or, when flat, the rendering itself as PNG.
func writeSpecimenPhoto(path string, spec specimen.Spec, d specimen.Degradation, seed uint64, flat bool) error {
	doc, err := specimen.Render(spec)
	if err != nil {
		return err
	}
	side := doc.MRZSide()
	if side == nil {
		side = doc.Front
	}
	if flat {
		return writeImagePNG(path, side)
	}
	q := d.JPEGQuality
	if q <= 0 {
		q = 95
	}
	d.JPEGQuality = 0
	img := specimen.Photograph(side, d, seed)
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(fh, img, &jpeg.Options{Quality: q}); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func writeImagePNG(path string, img image.Image) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(fh, img); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
