package tenancy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/idkit-dev/idkit/store/memory"
	"github.com/idkit-dev/idkit/tenancy"
)

// A tenant gets a key, signs a request with it, and the server verifies it.
func Example() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }
	store := memory.New()
	_ = store.CreateTenant(ctx, tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro})

	masterKey := bytes.Repeat([]byte{0x42}, tenancy.MasterKeySize) // from configuration in real life
	box, _ := tenancy.NewSecretBox(masterKey, nil)
	keys, _ := tenancy.NewKeyManager(tenancy.KeyManagerConfig{Store: store, Box: box, Now: now})
	_, creds, _ := keys.Create(ctx, "acme", tenancy.KeyOptions{Scopes: []tenancy.Module{tenancy.ModuleOCR}})

	// Client side.
	signer := tenancy.Signer{KeyID: creds.KeyID, Secret: creds.Secret, Now: now}
	body := []byte(`{"document":"..."}`)
	header := signer.Headers("POST", "/v1/ocr", body)

	// Server side.
	verifier, _ := tenancy.NewVerifier(tenancy.VerifierConfig{Keys: store, Tenants: store, Box: box, Now: now})
	req := tenancy.Request{Method: "POST", Path: "/v1/ocr", Header: header, Body: body, Module: tenancy.ModuleOCR}
	p, err := verifier.Verify(ctx, req)
	fmt.Println("tenant:", p.Tenant.ID, "plan:", p.Plan.ID, "err:", err)

	// The same signed request again is refused.
	_, err = verifier.Verify(ctx, req)
	var e *tenancy.Error
	errors.As(err, &e)
	fmt.Println(e.Code, e.Kind.HTTPStatus())
	// Output:
	// tenant: acme plan: pro err: <nil>
	// replayed_request 401
}
