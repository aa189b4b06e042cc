package memory_test

import (
	"testing"

	"github.com/idkit-dev/idkit/store/memory"
	"github.com/idkit-dev/idkit/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(testing.TB) storetest.Store { return memory.New() })
}

func BenchmarkRecordUsage(b *testing.B) { storetest.BenchRecordUsage(b, memory.New()) }
