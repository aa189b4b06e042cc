// Package testenv locates what tests read from outside their package: the
// repository root and the development evaluation sets beside it. It imports
// nothing from idkit, so pure-Go packages can use it in tests.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod, walking up from the
// working directory; "" when there is none.
func RepoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// EvalDev returns ../shared/eval-dev/<sub> beside the repository root, or
// under $IDKIT_EVAL_DEV when set (a checkout elsewhere, such as a git
// worktree), or skips the test when it is absent. The data is read in
// place and never copied into the repository.
func EvalDev(t testing.TB, sub string) string {
	t.Helper()
	base := os.Getenv("IDKIT_EVAL_DEV")
	if base == "" {
		root := RepoRoot()
		if root == "" {
			t.Skip("repository root not found")
		}
		base = filepath.Join(root, "..", "shared", "eval-dev")
	}
	p := filepath.Join(base, sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("eval-dev data absent (%s)", p)
	}
	return p
}
