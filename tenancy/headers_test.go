package tenancy_test

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/tenancy"
)

func hdr(key, ts, sign string) http.Header {
	h := http.Header{}
	if key != "-" {
		h.Set(tenancy.HeaderKey, key)
	}
	if ts != "-" {
		h.Set(tenancy.HeaderTimestamp, ts)
	}
	if sign != "-" {
		h.Set(tenancy.HeaderSign, sign)
	}
	return h
}

func TestParseHeaders(t *testing.T) {
	good := strings.Repeat("ab", 32)
	tests := []struct {
		name   string
		h      http.Header
		code   string
		header string
		msg    string
	}{
		{"ok", hdr("ik_1", "1700000000", good), "", "", ""},
		{"upper-case hex ok", hdr("ik_1", "1700000000", strings.ToUpper(good)), "", "", ""},
		{"no key", hdr("-", "1700000000", good), tenancy.CodeMissingHeader, tenancy.HeaderKey, "required"},
		{"empty key", hdr("", "1700000000", good), tenancy.CodeMissingHeader, tenancy.HeaderKey, "required"},
		{"no timestamp", hdr("ik_1", "-", good), tenancy.CodeMissingHeader, tenancy.HeaderTimestamp, "required"},
		{"no sign", hdr("ik_1", "1700000000", "-"), tenancy.CodeMissingHeader, tenancy.HeaderSign, "required"},
		{"key with space", hdr("ik 1", "1700000000", good), tenancy.CodeMalformedHeader, tenancy.HeaderKey, "printable"},
		{"key too long", hdr(strings.Repeat("k", 129), "1700000000", good), tenancy.CodeMalformedHeader, tenancy.HeaderKey, "longer"},
		{"rfc3339 timestamp", hdr("ik_1", "2023-11-14T22:13:20Z", good), tenancy.CodeMalformedHeader, tenancy.HeaderTimestamp, "digits"},
		{"negative timestamp", hdr("ik_1", "-1", good), tenancy.CodeMalformedHeader, tenancy.HeaderTimestamp, "digits"},
		{"milliseconds", hdr("ik_1", "1700000000000", good), tenancy.CodeMalformedHeader, tenancy.HeaderTimestamp, "milliseconds"},
		{"huge timestamp", hdr("ik_1", strings.Repeat("9", 40), good), tenancy.CodeMalformedHeader, tenancy.HeaderTimestamp, "seconds"},
		{"short sign", hdr("ik_1", "1700000000", "abcd"), tenancy.CodeMalformedHeader, tenancy.HeaderSign, "64 hex"},
		{"base64 sign", hdr("ik_1", "1700000000", strings.Repeat("z", 64)), tenancy.CodeMalformedHeader, tenancy.HeaderSign, "hexadecimal"},
		{"twice", http.Header{http.CanonicalHeaderKey(tenancy.HeaderKey): {"a", "b"}, http.CanonicalHeaderKey(tenancy.HeaderTimestamp): {"1"}, http.CanonicalHeaderKey(tenancy.HeaderSign): {good}}, tenancy.CodeMalformedHeader, tenancy.HeaderKey, "once"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sh, err := tenancy.ParseHeaders(tc.h)
			if tc.code == "" {
				require.NoError(t, err)
				assert.Equal(t, "ik_1", sh.KeyID)
				assert.Equal(t, int64(1700000000), sh.Timestamp.Unix())
				assert.Len(t, sh.Signature, 32)
				return
			}
			var e *tenancy.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.header, e.Header)
			assert.Contains(t, e.Message, tc.msg)
			assert.Equal(t, tenancy.KindUnauthenticated, e.Kind)
		})
	}
}

func FuzzParseHeaders(f *testing.F) {
	good := strings.Repeat("0f", 32)
	f.Add("ik_1", "1700000000", good)
	f.Add("", "", "")
	f.Add("ik_\x00", "0", good)
	f.Add("ik_1", "99999999999", strings.ToUpper(good))
	f.Add("ik_1", "100000000000", good)
	f.Add("ik_1", "00001700000000", good[:63]+"g")
	f.Add("ключ", "１７", good)
	f.Fuzz(func(t *testing.T, key, ts, sign string) {
		h := http.Header{}
		h.Set(tenancy.HeaderKey, key)
		h.Set(tenancy.HeaderTimestamp, ts)
		h.Set(tenancy.HeaderSign, sign)
		sh, err := tenancy.ParseHeaders(h)
		if err != nil {
			var e *tenancy.Error
			if !errors.As(err, &e) || e.Header == "" || e.Kind != tenancy.KindUnauthenticated {
				t.Fatalf("error %v is not a typed header error", err)
			}
			return
		}
		// Whatever parses must be exactly what was sent, and sane.
		if sh.KeyID != key || sh.RawTimestamp != ts {
			t.Fatalf("parsed %q/%q from %q/%q", sh.KeyID, sh.RawTimestamp, key, ts)
		}
		if n, err := strconv.ParseInt(ts, 10, 64); err != nil || n != sh.Timestamp.Unix() || n < 0 {
			t.Fatalf("timestamp %q parsed as %v", ts, sh.Timestamp)
		}
		if !strings.EqualFold(hex.EncodeToString(sh.Signature), sign) {
			t.Fatalf("signature %q parsed as %x", sign, sh.Signature)
		}
	})
}
