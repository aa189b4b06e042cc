package tenancy_test

import (
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/tenancy"
)

// The expected value was computed outside Go:
//
//	printf '1700000000\nPOST\n/v1/ocr?x=1\n%s' "$(printf '{"a":1}' | sha256sum | cut -d' ' -f1)" |
//	  openssl dgst -sha256 -hmac iks_test
const knownSignature = "29212391c08448d529b160f392395e1e9b2cb88d42210225ee30bdddafec6baf"

func TestSignKnownAnswer(t *testing.T) {
	body := []byte(`{"a":1}`)
	assert.Equal(t, "1700000000\nPOST\n/v1/ocr?x=1\n015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
		tenancy.CanonicalString("1700000000", "POST", "/v1/ocr?x=1", tenancy.BodyHash(body)))
	sig := tenancy.Sign([]byte("iks_test"), "1700000000", "POST", "/v1/ocr?x=1", tenancy.BodyHash(body))
	assert.Equal(t, knownSignature, hex.EncodeToString(sig))

	s := tenancy.Signer{KeyID: "ik_x", Secret: "iks_test", Now: func() time.Time { return time.Unix(1700000000, 0) }}
	h := s.Headers("POST", "/v1/ocr?x=1", body)
	assert.Equal(t, "ik_x", h.Get(tenancy.HeaderKey))
	assert.Equal(t, "1700000000", h.Get(tenancy.HeaderTimestamp))
	assert.Equal(t, knownSignature, h.Get(tenancy.HeaderSign))
}

func TestSignRequestKeepsBody(t *testing.T) {
	s := tenancy.Signer{KeyID: "ik_x", Secret: "iks_test", Now: func() time.Time { return time.Unix(1700000000, 0) }}
	req, err := http.NewRequest("POST", "https://api.example/v1/ocr?x=1", strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	require.NoError(t, s.SignRequest(req))
	assert.Equal(t, knownSignature, req.Header.Get(tenancy.HeaderSign))
	b, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(b), "the body is still there to send")
	rb, err := req.GetBody()
	require.NoError(t, err)
	b, _ = io.ReadAll(rb)
	assert.Equal(t, `{"a":1}`, string(b), "and for redirects")

	get, err := http.NewRequest("GET", "https://api.example/v1/keys", nil)
	require.NoError(t, err)
	require.NoError(t, s.SignRequest(get))
	want := tenancy.Sign([]byte("iks_test"), "1700000000", "GET", "/v1/keys", tenancy.BodyHash(nil))
	assert.Equal(t, hex.EncodeToString(want), get.Header.Get(tenancy.HeaderSign))
}
