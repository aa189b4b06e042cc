package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Canonical is the byte string a record's hash covers: a JSON object with
// keys in a fixed order, details sorted by key, time in RFC 3339 UTC with
// microseconds, and the previous hash. It does not include Hash itself.
// Keys are quoted like values, so no detail key can forge the boundary
// between two details (the key `a":"x","b` would otherwise hash like the
// details a=x and b=...).
func Canonical(r Record) []byte {
	var b strings.Builder
	quote := func(s string) {
		q, _ := json.Marshal(s) // strings always marshal
		b.Write(q)
	}
	str := func(key, v string) {
		quote(key)
		b.WriteByte(':')
		quote(v)
	}
	b.WriteString(`{"v":1,`)
	str("tenant", r.TenantID)
	b.WriteString(`,"seq":` + strconv.FormatInt(r.Seq, 10) + `,`)
	str("time", r.Time.UTC().Format("2006-01-02T15:04:05.000000Z07:00"))
	b.WriteByte(',')
	str("actor", r.Actor)
	b.WriteByte(',')
	str("action", r.Action)
	b.WriteByte(',')
	str("target", r.Target)
	b.WriteByte(',')
	str("request_id", r.RequestID)
	b.WriteByte(',')
	str("outcome", r.Outcome)
	b.WriteString(`,"details":{`)
	keys := make([]string, 0, len(r.Details))
	for k := range r.Details {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		str(k, r.Details[k])
	}
	b.WriteString(`},`)
	str("prev", r.PrevHash)
	b.WriteByte('}')
	return []byte(b.String())
}

// HashOf returns the hex SHA-256 of r's canonical form.
func HashOf(r Record) string {
	h := sha256.Sum256(Canonical(r))
	return hex.EncodeToString(h[:])
}
