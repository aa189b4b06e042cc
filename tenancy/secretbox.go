package tenancy

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
)

// MasterKeySize is the size of a SecretBox master key (AES-256).
const MasterKeySize = 32

const sealVersion = 1

// ErrSealed is returned when a sealed secret cannot be opened: wrong master
// key, a different key ID, or tampered bytes.
var ErrSealed = errors.New("tenancy: sealed secret cannot be opened")

// SecretBox seals API key secrets with AES-256-GCM under a master key. The
// key ID is bound as additional data, so a sealed secret copied onto another
// key does not open.
type SecretBox struct {
	aead cipher.AEAD
	rand io.Reader
}

// NewSecretBox returns a box for a 32-byte master key. rnd supplies nonces;
// nil means crypto/rand.
func NewSecretBox(masterKey []byte, rnd io.Reader) (*SecretBox, error) {
	if len(masterKey) != MasterKeySize {
		return nil, fmt.Errorf("tenancy: master key must be %d bytes, got %d", MasterKeySize, len(masterKey))
	}
	block, err := aes.NewCipher(masterKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	return &SecretBox{aead: aead, rand: rnd}, nil
}

func aad(keyID string) []byte { return []byte("idkit/apikey/v1\x00" + keyID) }

// Seal encrypts secret for the key keyID.
func (b *SecretBox) Seal(keyID string, secret []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(secret)+b.aead.Overhead())
	out[0] = sealVersion
	if _, err := io.ReadFull(b.rand, out[1:]); err != nil {
		return nil, fmt.Errorf("tenancy: nonce: %w", err)
	}
	return b.aead.Seal(out, out[1:], secret, aad(keyID)), nil
}

// Open decrypts a secret sealed for keyID.
func (b *SecretBox) Open(keyID string, sealed []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(sealed) < 1+ns+b.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrSealed
	}
	pt, err := b.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], aad(keyID))
	if err != nil {
		return nil, ErrSealed
	}
	return pt, nil
}
