package billing_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/store/memory"
	"github.com/idkit-dev/idkit/tenancy"
)

// Meter a month of calls, then invoice it as CSV.
func Example() {
	ctx := context.Background()
	now := time.Date(2025, 6, 10, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ledger := memory.New()
	tenant := tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}

	meter, _ := billing.NewMeter(billing.MeterConfig{Ledger: ledger, HardStop: true, Now: clock})
	for i := range 3 {
		meter.Record(ctx, tenant, billing.Usage{RequestID: fmt.Sprint("req-", i), Module: tenancy.ModuleLiveness})
	}
	meter.Record(ctx, tenant, billing.Usage{RequestID: "req-kyc", Module: tenancy.ModuleWorkflow,
		Steps: []tenancy.Module{tenancy.ModuleLiveness, tenancy.ModuleOCR, tenancy.ModuleFaceMatch}})
	rec, _ := meter.Record(ctx, tenant, billing.Usage{RequestID: "req-0", Module: tenancy.ModuleLiveness})
	fmt.Println("retry counted again:", !rec.Duplicate)

	invoicer, _ := billing.NewInvoicer(billing.InvoicerConfig{Ledger: ledger, Now: clock})
	inv, _ := invoicer.Generate(ctx, tenant, "2025-06")
	inv.WriteCSV(os.Stdout)
	// Output:
	// retry counted again: false
	// tenant_id,period,module,tier,description,quantity,unit_price_minor,discount_bp,amount_minor,currency
	// acme,2025-06,liveness,,liveness at 3,3,3,0,9,USD
	// acme,2025-06,workflow,1,"workflow at 20, tier 1 (1-1000)",1,20,0,20,USD
	// acme,2025-06,TOTAL,,,,,,29,USD
}
