package aamva

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scan of a body without separators allocates little whatever the
// body: valueCost converted each value to runes to read the first one,
// for every pair of places, so a body of names spread over 64 KiB
// allocated 3 GB (370 MB at MaxPayload). The bound is generous (the search
// itself needs about 2 MB at worst) but far below that.
func TestScanAllocationsBounded(t *testing.T) {
	const budget = 16 << 20
	for _, tc := range adversarialPayloads() {
		require.LessOrEqual(t, len(tc.data), MaxPayload, tc.name)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Parse(tc.data)
		runtime.ReadMemStats(&after)
		require.NoError(t, err, tc.name)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(budget), tc.name)
		allocs := testing.AllocsPerRun(1, func() { Parse(tc.data) })
		assert.Less(t, allocs, 2000.0, tc.name)
	}
}
