package billing

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// WriteJSON writes the invoice as indented JSON.
func (inv Invoice) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(inv)
}

// CSVHeader is the first row WriteCSV writes.
var CSVHeader = []string{"tenant_id", "period", "module", "tier", "description", "quantity", "unit_price_minor", "discount_bp", "amount_minor", "currency"}

// WriteCSV writes one row per line and a final TOTAL row. Amounts are in
// minor units so spreadsheets never round them.
func (inv Invoice) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, l := range inv.Lines {
		tier := ""
		if l.Tier > 0 {
			tier = strconv.Itoa(l.Tier)
		}
		if err := cw.Write([]string{inv.TenantID, string(inv.Period), string(l.Module), tier, l.Description,
			i64(l.Quantity), i64(l.UnitPrice), i64(l.DiscountBP), i64(l.Amount), inv.Currency}); err != nil {
			return err
		}
	}
	if err := cw.Write([]string{inv.TenantID, string(inv.Period), "TOTAL", "", "", "", "", "", i64(inv.Total), inv.Currency}); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
