package audit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/store/memory"
)

// Append to a tenant's chain, then verify it, then show that tampering is
// found.
func Example() {
	ctx := context.Background()
	store := memory.New()
	log, _ := audit.New(audit.Config{Store: store, Now: func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }})

	for _, action := range []string{"key.create", "verification.create", "verification.complete"} {
		log.Append(ctx, audit.Entry{TenantID: "acme", Actor: "key:ik_123", Action: action,
			Target: "vrf_42", RequestID: "req-7", Outcome: audit.OutcomeSuccess})
	}
	rep, _ := audit.Verify(ctx, store, "acme", nil)
	fmt.Println("records:", rep.Records, "intact:", rep.OK())

	store.TamperAudit("acme", 2, func(r *audit.Record) bool { r.Outcome = audit.OutcomeDenied; return true })
	rep, _ = audit.Verify(ctx, store, "acme", nil)
	for _, p := range rep.Problems {
		fmt.Println(p.Seq, p.Kind)
	}
	// Output:
	// records: 3 intact: true
	// 2 altered
}
