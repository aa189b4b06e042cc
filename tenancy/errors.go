package tenancy

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Kind classifies a refusal by what the HTTP layer answers.
type Kind int

const (
	// KindUnauthenticated: the caller is not who it says (401).
	KindUnauthenticated Kind = iota + 1
	// KindForbidden: authenticated but not allowed (403).
	KindForbidden
	// KindRateLimited: too many requests (429 with Retry-After).
	KindRateLimited
	// KindUnavailable: a dependency failed; not the caller's fault (503).
	KindUnavailable
)

// HTTPStatus is the one place a Kind becomes a status code.
func (k Kind) HTTPStatus() int {
	switch k {
	case KindUnauthenticated:
		return http.StatusUnauthorized
	case KindForbidden:
		return http.StatusForbidden
	case KindRateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusServiceUnavailable
	}
}

func (k Kind) String() string {
	switch k {
	case KindUnauthenticated:
		return "unauthenticated"
	case KindForbidden:
		return "forbidden"
	case KindRateLimited:
		return "rate_limited"
	case KindUnavailable:
		return "unavailable"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error codes: stable strings an integrator can branch on.
const (
	CodeMissingHeader   = "missing_header"
	CodeMalformedHeader = "malformed_header"
	CodeTimestampSkew   = "timestamp_skew"
	CodeUnknownKey      = "unknown_key"
	CodeKeyRevoked      = "key_revoked"
	CodeKeyExpired      = "key_expired"
	CodeBadSignature    = "bad_signature"
	CodeReplayed        = "replayed_request"
	CodeScopeDenied     = "scope_denied"
	CodeTenantSuspended = "tenant_suspended"
	CodeRateLimited     = "rate_limited"
	CodeUnavailable     = "unavailable"
)

// Sentinels for errors.Is: an *Error matches the sentinel with its Code.
var (
	ErrMissingHeader   = &Error{Kind: KindUnauthenticated, Code: CodeMissingHeader}
	ErrMalformedHeader = &Error{Kind: KindUnauthenticated, Code: CodeMalformedHeader}
	ErrTimestampSkew   = &Error{Kind: KindUnauthenticated, Code: CodeTimestampSkew}
	ErrUnknownKey      = &Error{Kind: KindUnauthenticated, Code: CodeUnknownKey}
	ErrKeyRevoked      = &Error{Kind: KindUnauthenticated, Code: CodeKeyRevoked}
	ErrKeyExpired      = &Error{Kind: KindUnauthenticated, Code: CodeKeyExpired}
	ErrBadSignature    = &Error{Kind: KindUnauthenticated, Code: CodeBadSignature}
	ErrReplayed        = &Error{Kind: KindUnauthenticated, Code: CodeReplayed}
	ErrScopeDenied     = &Error{Kind: KindForbidden, Code: CodeScopeDenied}
	ErrTenantSuspended = &Error{Kind: KindForbidden, Code: CodeTenantSuspended}
	ErrRateLimited     = &Error{Kind: KindRateLimited, Code: CodeRateLimited}
	ErrUnavailable     = &Error{Kind: KindUnavailable, Code: CodeUnavailable}
)

// Error is a refusal an integrator can act on. It never holds a secret: the
// canonical string is built from the request alone.
type Error struct {
	Kind Kind
	// Code is one of the Code* constants.
	Code string
	// Message says what is wrong and how to fix it.
	Message string
	// Header names the offending request header, if any.
	Header string
	// Skew is server time minus the request timestamp, for CodeTimestampSkew.
	Skew time.Duration
	// Canonical is the string the server signed, set for CodeBadSignature
	// only when the Verifier runs with Debug for a sandbox tenant.
	Canonical string
	// RetryAfter tells a rate-limited caller when to come back.
	RetryAfter time.Duration
	// Err is an internal cause, for logs; never shown to callers.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("tenancy: ")
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches sentinels by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Details are the fields an HTTP error body may show the caller.
func (e *Error) Details() map[string]any {
	d := map[string]any{}
	if e.Header != "" {
		d["header"] = e.Header
	}
	if e.Code == CodeTimestampSkew {
		d["skew_seconds"] = int64(e.Skew.Round(time.Second) / time.Second)
	}
	if e.Canonical != "" {
		d["expected_canonical_string"] = e.Canonical
	}
	if e.RetryAfter > 0 {
		d["retry_after_seconds"] = retryAfterSeconds(e.RetryAfter)
	}
	return d
}
