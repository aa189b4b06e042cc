package tenancy

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// The signing headers.
const (
	HeaderKey       = "X-API-KEY"
	HeaderTimestamp = "X-API-TIMESTAMP"
	HeaderSign      = "X-API-SIGN"
)

// BodyHash returns sha256(body).
func BodyHash(body []byte) []byte {
	h := sha256.Sum256(body)
	return h[:]
}

// CanonicalString is what gets signed: timestamp, method, path and the hex
// SHA-256 of the body, joined by newlines.
func CanonicalString(timestamp, method, path string, bodySHA256 []byte) string {
	return timestamp + "\n" + method + "\n" + path + "\n" + hex.EncodeToString(bodySHA256)
}

// Sign returns the raw HMAC-SHA256 of the canonical string under secret.
func Sign(secret []byte, timestamp, method, path string, bodySHA256 []byte) []byte {
	m := hmac.New(sha256.New, secret)
	io.WriteString(m, CanonicalString(timestamp, method, path, bodySHA256))
	return m.Sum(nil)
}

// Signer signs outgoing requests for an API key. It is the client-side half
// of Verifier.
type Signer struct {
	// KeyID is the public api_key_id.
	KeyID string
	// Secret is the api_key_secret as handed out.
	Secret string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Headers returns the three signing headers for a request. path is the
// request URI as it will be sent: escaped path plus "?query" if any.
func (s Signer) Headers(method, path string, body []byte) http.Header {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	sig := Sign([]byte(s.Secret), ts, method, path, BodyHash(body))
	h := http.Header{}
	h.Set(HeaderKey, s.KeyID)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSign, hex.EncodeToString(sig))
	return h
}

// SignRequest reads r's body (restoring it for sending) and sets the
// signing headers.
func (s Signer) SignRequest(r *http.Request) error {
	if r.URL == nil {
		return errors.New("tenancy: request has no URL")
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return fmt.Errorf("tenancy: read body to sign: %w", err)
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		r.ContentLength = int64(len(b))
	}
	for k, v := range s.Headers(r.Method, r.URL.RequestURI(), body) {
		r.Header[k] = v
	}
	return nil
}
