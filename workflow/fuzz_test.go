package workflow_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/workflow"
)

// FuzzParseConfig: tenant configs come from outside. Parsing must never
// panic, and a config it accepts must build a pipeline.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{yamlConfig, jsonConfig, "", "{}", "steps: [ocr, validate]", "rules: [{name: a, expr: 'true'}]",
		"score: {factors: [{name: kya, weight: 1}]}", "thresholds: {age: {threshold: 18}}", "- a\n- b", "{\"version\": 1e400}",
		"document: {required_fields: []}", "rules: [{name: r, expr: '[1,2,3].all(x, x > 0)'}]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := workflow.ParseConfig(data)
		if err != nil {
			assert.ErrorIs(t, err, workflow.ErrConfig)
			return
		}
		_, err = workflow.New(c, workflow.Backends{}, workflow.Options{})
		require.NoError(t, err, "accepted config %q does not build", data)
	})
}
