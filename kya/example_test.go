package kya_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/idkit-dev/idkit/kya"
	"github.com/idkit-dev/idkit/score"
)

// staticDNS stands in for a *net.Resolver.
type staticDNS map[string][]*net.MX

func (d staticDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if mx, ok := d[name]; ok {
		return mx, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

// staticGeoIP stands in for kya.OpenMaxMind("GeoLite2-Country.mmdb").
type staticGeoIP map[netip.Addr]string

func (g staticGeoIP) Country(_ context.Context, ip netip.Addr) (string, error) {
	if c, ok := g[ip]; ok {
		return c, nil
	}
	return "", kya.ErrNotFound
}

func ExampleChecker_Check() {
	c, err := kya.New(kya.Config{
		Resolver: staticDNS{"example.com": {{Host: "mx.example.com.", Pref: 10}}},
		GeoIP:    staticGeoIP{netip.MustParseAddr("81.2.69.142"): "GB"},
	})
	if err != nil {
		panic(err)
	}
	r, err := c.Check(context.Background(), kya.Input{
		Email:        "jurgen.muller@example.com",
		Phone:        "+44 7400 123456",
		IP:           "81.2.69.142",
		Country:      "GBR",
		Name:         "Jurgen Muller",
		DocumentName: "MUELLER<<JUERGEN<KARL",
	})
	if err != nil {
		panic(err)
	}
	for _, ch := range r.Checks {
		fmt.Printf("%-12s %-4s %s\n", ch.Name, ch.Status, ch.Reason)
	}
	fmt.Printf("score %.2f\n", r.Score)

	// The report is the score package's KYA factor.
	factor := score.Input{Present: r.Measured, Score: r.Score, Reason: r.Summary()}
	fmt.Println(factor.Reason)
	// Output:
	// email_syntax pass well-formed address
	// email_mx     pass 1 mail server(s) found
	// phone        pass valid mobile number for GB
	// ip_country   pass the IP address is in GB, as declared
	// name         pass names match; a middle name missing on one side
	// score 1.00
	// 5 of 5 checks ran: 5 pass
}
