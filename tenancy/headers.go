package tenancy

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// maxKeyIDLen bounds X-API-KEY so garbage never reaches a store query.
const maxKeyIDLen = 128

// SignedHeaders are the parsed signing headers of a request.
type SignedHeaders struct {
	KeyID string
	// RawTimestamp is X-API-TIMESTAMP exactly as sent; it is what was signed.
	RawTimestamp string
	Timestamp    time.Time
	Signature    []byte
}

// ParseHeaders reads and checks the three signing headers. Errors are
// *Error with the offending header named.
func ParseHeaders(h http.Header) (SignedHeaders, error) {
	var out SignedHeaders
	get := func(name string) (string, error) {
		vs := h.Values(name)
		switch {
		case len(vs) == 0 || vs[0] == "":
			return "", &Error{Kind: KindUnauthenticated, Code: CodeMissingHeader, Header: name,
				Message: fmt.Sprintf("header %s is required (see the request signing guide)", name)}
		case len(vs) > 1:
			return "", malformed(name, "header must appear once")
		}
		return vs[0], nil
	}

	id, err := get(HeaderKey)
	if err != nil {
		return out, err
	}
	if len(id) > maxKeyIDLen {
		return out, malformed(HeaderKey, fmt.Sprintf("key id longer than %d characters", maxKeyIDLen))
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f {
			return out, malformed(HeaderKey, "key id must be printable ASCII without spaces")
		}
	}
	out.KeyID = id

	ts, err := get(HeaderTimestamp)
	if err != nil {
		return out, err
	}
	for i := 0; i < len(ts); i++ {
		if ts[i] < '0' || ts[i] > '9' {
			return out, malformed(HeaderTimestamp, "timestamp must be Unix time in seconds, digits only")
		}
	}
	if len(ts) > 15 {
		return out, malformed(HeaderTimestamp, "timestamp must be Unix time in seconds")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return out, malformed(HeaderTimestamp, "timestamp must be Unix time in seconds")
	}
	if secs >= 100_000_000_000 { // year 5138: surely milliseconds
		return out, malformed(HeaderTimestamp, "timestamp looks like milliseconds; send Unix time in seconds")
	}
	out.RawTimestamp = ts
	out.Timestamp = time.Unix(secs, 0).UTC()

	sig, err := get(HeaderSign)
	if err != nil {
		return out, err
	}
	if len(sig) != 2*32 {
		return out, malformed(HeaderSign, fmt.Sprintf("signature must be 64 hex characters (HMAC-SHA256), got %d characters", len(sig)))
	}
	raw, err := hex.DecodeString(sig)
	if err != nil {
		return out, malformed(HeaderSign, "signature must be hexadecimal")
	}
	out.Signature = raw
	return out, nil
}

func malformed(header, msg string) *Error {
	return &Error{Kind: KindUnauthenticated, Code: CodeMalformedHeader, Header: header, Message: msg}
}
