package liveness_test

import (
	"context"
	"fmt"
	"log"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/liveness"
)

// Check one photo for liveness. Run `idkit models install` first (and set
// IDKIT_MODELS when running outside the repository root).
func Example() {
	chk, err := liveness.New(liveness.Config{})
	if err != nil {
		log.Fatal(err) // names the missing model file and the install command
	}
	defer chk.Close()

	img, _, err := imageio.ReadFile("../testdata/faces/obama_official_portrait_2012.jpg", imageio.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	res, err := chk.Check(context.Background(), img)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("live:", res.IsLive, "spoof type:", res.SpoofType, "status:", res.Status)
	fmt.Println("confident:", res.Confidence > 0.9, "warnings:", len(res.Warnings))
	// Output:
	// live: true spoof type: none status: live
	// confident: true warnings: 0
}

// Issue a challenge on one server and verify its signature on another that
// shares the key; the nonce is then spent through a ReplayStore by
// Verifier.Verify.
func ExampleIssuer() {
	key := []byte("a shared secret of at least 32 bytes!")
	iss, err := liveness.NewIssuer(liveness.IssuerConfig{Key: key})
	if err != nil {
		log.Fatal(err)
	}
	ch, err := iss.IssueActions([]liveness.Action{liveness.Blink, liveness.TurnLeft})
	if err != nil {
		log.Fatal(err)
	}
	other, err := liveness.NewIssuer(liveness.IssuerConfig{Key: key})
	if err != nil {
		log.Fatal(err)
	}
	got, err := other.Parse(ch.Token)
	fmt.Println(got.Actions, err)
	_, err = other.Parse(ch.Token + "x")
	fmt.Println(err)
	// Output:
	// [blink turn_left] <nil>
	// liveness: challenge token malformed or not signed by us
}
