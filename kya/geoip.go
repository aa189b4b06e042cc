package kya

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/oschwald/maxminddb-golang/v2"
)

// GeoIP locates an IP address.
type GeoIP interface {
	// Country returns the ISO 3166-1 alpha-2 code of the country where ip
	// is, or an error wrapping ErrNotFound when the database has none.
	Country(ctx context.Context, ip netip.Addr) (string, error)
}

// ErrNotFound is returned by a GeoIP that does not know an address.
var ErrNotFound = errors.New("kya: address not in the GeoIP database")

// MaxMindDB is a GeoIP on a MaxMind DB file (.mmdb) with country data: the
// GeoLite2/GeoIP2 Country or City databases, or any file laid out the same
// way (country.iso_code, else registered_country.iso_code). It is safe for
// concurrent use; Close it when no lookup is running any more.
type MaxMindDB struct {
	r *maxminddb.Reader
}

var _ GeoIP = (*MaxMindDB)(nil)

// OpenMaxMind opens the database at path.
func OpenMaxMind(path string) (*MaxMindDB, error) {
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("kya: open GeoIP database: %w", err)
	}
	return &MaxMindDB{r: r}, nil
}

// Country looks ip up.
func (db *MaxMindDB) Country(_ context.Context, ip netip.Addr) (string, error) {
	var rec struct {
		Country struct {
			ISOCode string `maxminddb:"iso_code"`
		} `maxminddb:"country"`
		RegisteredCountry struct {
			ISOCode string `maxminddb:"iso_code"`
		} `maxminddb:"registered_country"`
	}
	res := db.r.Lookup(ip.Unmap())
	if err := res.Err(); err != nil {
		return "", fmt.Errorf("kya: GeoIP lookup: %w", err)
	}
	if !res.Found() {
		return "", ErrNotFound
	}
	if err := res.Decode(&rec); err != nil {
		return "", fmt.Errorf("kya: GeoIP record: %w", err)
	}
	code := rec.Country.ISOCode
	if code == "" {
		code = rec.RegisteredCountry.ISOCode
	}
	if code == "" {
		return "", ErrNotFound
	}
	return strings.ToUpper(code), nil
}

// Close releases the database file.
func (db *MaxMindDB) Close() error { return db.r.Close() }

// checkIPCountry compares the IP's country with the declared one
// (declared is the raw input, country its alpha-2 form or countryErr).
// It returns an error only when ctx ended.
func (c *Checker) checkIPCountry(ctx context.Context, ipText, declared, country string, countryErr error) (Check, error) {
	ch := Check{Name: CheckIPCountry}
	ipText = strings.TrimSpace(ipText)
	if ipText == "" {
		ch.Status, ch.Reason = Skip, "no IP address given"
		return ch, nil
	}
	ip, err := netip.ParseAddr(ipText)
	if err != nil {
		ch.Status, ch.Reason = Skip, "not an IP address"
		return ch, nil
	}
	ip = ip.Unmap()
	switch {
	case ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() || ip.IsLinkLocalMulticast():
		ch.Status, ch.Reason = Skip, "a private or local address has no location"
		return ch, nil
	case c.cfg.GeoIP == nil:
		ch.Status, ch.Reason = Skip, "no GeoIP database configured"
		return ch, nil
	case strings.TrimSpace(declared) == "":
		ch.Status, ch.Reason = Skip, "no declared country given"
		return ch, nil
	case countryErr != nil:
		ch.Status, ch.Reason = Skip, fmt.Sprintf("the declared country %q is not a country code", declared)
		return ch, nil
	}
	got, err := c.cfg.GeoIP.Country(ctx, ip)
	if ctx.Err() != nil {
		return Check{}, ctx.Err()
	}
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			ch.Status, ch.Reason = Skip, "the address is not in the GeoIP database"
		} else {
			c.log.Debug("kya: GeoIP lookup failed", "err", err)
			ch.Status, ch.Reason = Skip, "the GeoIP lookup failed"
		}
		return ch, nil
	}
	ch.Details = map[string]any{"ip_country": got, "declared_country": country}
	if got == country {
		ch.Status, ch.Reason = Pass, fmt.Sprintf("the IP address is in %s, as declared", got)
	} else {
		ch.Status, ch.Reason = Fail, fmt.Sprintf("the IP address is in %s, the declared country is %s", got, country)
	}
	return ch, nil
}
