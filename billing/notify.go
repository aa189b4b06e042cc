package billing

import (
	"context"
	"time"

	"github.com/idkit-dev/idkit/tenancy"
)

// Quota event types.
const (
	// EventQuotaWarning: usage reached 80% of the monthly quota.
	EventQuotaWarning = "quota.warning"
	// EventQuotaReached: usage reached 100% of the monthly quota.
	EventQuotaReached = "quota.reached"
)

// Event is a soft-limit notification.
type Event struct {
	Type     string         `json:"type"`
	TenantID string         `json:"tenant_id"`
	Module   tenancy.Module `json:"module"`
	Period   Period         `json:"period"`
	Used     int64          `json:"used"`
	Limit    int64          `json:"limit"`
	// Percent is the threshold crossed: 80 or 100.
	Percent int       `json:"percent"`
	Time    time.Time `json:"time"`
}

// Notifier delivers quota events (the webhook package implements it).
type Notifier interface {
	Notify(ctx context.Context, e Event) error
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, e Event) error

// Notify implements Notifier.
func (f NotifierFunc) Notify(ctx context.Context, e Event) error { return f(ctx, e) }
