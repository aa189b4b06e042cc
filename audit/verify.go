package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// Problem kinds found by Verify.
const (
	// ProblemAltered: a record's content does not match its hash.
	ProblemAltered = "altered"
	// ProblemMissing: sequence numbers jump; records were deleted.
	ProblemMissing = "missing"
	// ProblemBrokenLink: PrevHash is not the previous record's hash
	// (a record before it was rewritten, or removed and renumbered).
	ProblemBrokenLink = "broken_link"
	// ProblemTruncated: the chain ends before the anchor.
	ProblemTruncated = "truncated"
	// ProblemAnchorMismatch: the record at the anchor's Seq has another hash,
	// or the anchor is another tenant's.
	ProblemAnchorMismatch = "anchor_mismatch"
	// ProblemWrongTenant: a record belongs to another tenant's chain (an
	// export verified as the wrong tenant's, or rows moved between chains).
	ProblemWrongTenant = "wrong_tenant"
)

// Problem is one defect of a chain.
type Problem struct {
	Seq    int64  `json:"seq"`
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

// Report is the result of verifying a chain.
type Report struct {
	Records  int64     `json:"records"`
	Head     Head      `json:"head"`
	Problems []Problem `json:"problems,omitempty"`
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return len(r.Problems) == 0 }

type checker struct {
	rep        Report
	prev       Head
	anchor     *Head
	anchorSeen bool
}

func newChecker(tenantID string, anchor *Head) *checker {
	return &checker{rep: Report{Head: Head{TenantID: tenantID, Hash: GenesisHash}}, prev: Head{TenantID: tenantID, Hash: GenesisHash}, anchor: anchor}
}

func (c *checker) add(r Record) {
	c.rep.Records++
	if r.TenantID != c.prev.TenantID {
		c.rep.Problems = append(c.rep.Problems, Problem{Seq: r.Seq, Kind: ProblemWrongTenant,
			Detail: fmt.Sprintf("record of tenant %q in the chain of %q", r.TenantID, c.prev.TenantID)})
	}
	if r.Seq != c.prev.Seq+1 {
		c.rep.Problems = append(c.rep.Problems, Problem{Seq: r.Seq, Kind: ProblemMissing,
			Detail: fmt.Sprintf("records %d to %d are missing", c.prev.Seq+1, r.Seq-1)})
	}
	if r.PrevHash != c.prev.Hash {
		c.rep.Problems = append(c.rep.Problems, Problem{Seq: r.Seq, Kind: ProblemBrokenLink,
			Detail: "previous hash does not match the record before it"})
	}
	if HashOf(r) != r.Hash {
		c.rep.Problems = append(c.rep.Problems, Problem{Seq: r.Seq, Kind: ProblemAltered,
			Detail: "content does not match its hash"})
	}
	if c.anchor != nil && r.Seq == c.anchor.Seq {
		c.anchorSeen = true
		if r.Hash != c.anchor.Hash {
			c.rep.Problems = append(c.rep.Problems, Problem{Seq: r.Seq, Kind: ProblemAnchorMismatch,
				Detail: "hash differs from the anchored head"})
		}
	}
	c.prev = Head{TenantID: c.prev.TenantID, Seq: r.Seq, Hash: r.Hash}
	c.rep.Head = c.prev
}

func (c *checker) done() Report {
	if c.anchor != nil && c.anchor.TenantID != c.rep.Head.TenantID {
		c.rep.Problems = append(c.rep.Problems, Problem{Seq: c.anchor.Seq, Kind: ProblemAnchorMismatch,
			Detail: fmt.Sprintf("the anchor is tenant %q's, not %q's", c.anchor.TenantID, c.rep.Head.TenantID)})
	}
	if c.anchor != nil && !c.anchorSeen && c.anchor.Seq > 0 {
		c.rep.Problems = append(c.rep.Problems, Problem{Seq: c.anchor.Seq, Kind: ProblemTruncated,
			Detail: fmt.Sprintf("chain ends at %d, before the anchored head %d", c.rep.Head.Seq, c.anchor.Seq)})
	}
	return c.rep
}

// verifyPage is how many records Verify reads at a time.
const verifyPage = 1000

// Verify walks a tenant's chain and reports every defect. anchor, when not
// nil, is a head saved earlier: the chain must still contain it.
// The error is for failures to read, not for defects.
func Verify(ctx context.Context, s Store, tenantID string, anchor *Head) (Report, error) {
	c := newChecker(tenantID, anchor)
	after := int64(0)
	for {
		recs, err := s.AuditRecords(ctx, tenantID, after, verifyPage)
		if err != nil {
			return Report{}, fmt.Errorf("audit: read chain: %w", err)
		}
		for _, r := range recs {
			c.add(r)
			after = r.Seq
		}
		if len(recs) < verifyPage {
			return c.done(), nil
		}
	}
}

// Export writes the tenant's chain as JSON Lines, one Record a line, for
// WORM storage, and returns its head: keep the head apart from the export
// as the anchor for later checks.
func Export(ctx context.Context, s Store, tenantID string, w io.Writer) (Head, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	head := Head{TenantID: tenantID, Hash: GenesisHash}
	after := int64(0)
	for {
		recs, err := s.AuditRecords(ctx, tenantID, after, verifyPage)
		if err != nil {
			return Head{}, fmt.Errorf("audit: read chain: %w", err)
		}
		for _, r := range recs {
			if err := enc.Encode(r); err != nil {
				return Head{}, err
			}
			after = r.Seq
			head = Head{TenantID: tenantID, Seq: r.Seq, Hash: r.Hash}
		}
		if len(recs) < verifyPage {
			return head, bw.Flush()
		}
	}
}

// VerifyExport checks a chain written by Export, as Verify does.
func VerifyExport(r io.Reader, tenantID string, anchor *Head) (Report, error) {
	c := newChecker(tenantID, anchor)
	dec := json.NewDecoder(r)
	for {
		var rec Record
		err := dec.Decode(&rec)
		if err == io.EOF {
			return c.done(), nil
		}
		if err != nil {
			return Report{}, fmt.Errorf("audit: read export record %d: %w", c.rep.Records+1, err)
		}
		c.add(rec)
	}
}
