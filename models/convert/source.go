package convert

import (
	"fmt"
	"os"
	"sort"

	"github.com/idkit-dev/idkit/models"
)

// TFJSWeights names the installed assets that hold one TF.js weights
// manifest and its shards.
type TFJSWeights struct {
	// Manifest is the asset name of the weights manifest JSON.
	Manifest string
	// Shards maps each shard path the manifest lists to the asset name of
	// the installed file.
	Shards map[string]string
}

// Assets returns the manifest's and the shards' asset names, manifest first
// and shards sorted.
func (s TFJSWeights) Assets() []string {
	shards := make([]string, 0, len(s.Shards))
	for _, a := range s.Shards {
		shards = append(shards, a)
	}
	sort.Strings(shards)
	return append([]string{s.Manifest}, shards...)
}

// Load reads and decodes the weights from the cache; every file is checked
// against its pinned SHA-256 first.
func (s TFJSWeights) Load(c *models.Cache) (*Weights, error) {
	p, err := c.Path(s.Manifest)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	groups, err := ParseWeightsManifest(data)
	if err != nil {
		return nil, err
	}
	return DecodeWeights(groups, func(shard string) ([]byte, error) {
		name, ok := s.Shards[shard]
		if !ok {
			return nil, fmt.Errorf("%w: manifest %s lists shard %q, which has no asset", ErrWeights, s.Manifest, shard)
		}
		sp, err := c.Path(name)
		if err != nil {
			return nil, err
		}
		return os.ReadFile(sp)
	})
}

// SourceMetadata describes where a model comes from, for its metadata_props:
// the package, version and licence of the first asset, then each asset's
// path in its package and SHA-256.
func SourceMetadata(m models.Manifest, assets ...string) ([]Metadata, error) {
	var out []Metadata
	for i, name := range assets {
		a, ok := m.Asset(name)
		if !ok {
			return nil, fmt.Errorf("convert: no asset named %q in the manifest", name)
		}
		if i == 0 {
			out = append(out,
				Metadata{"source.package", a.NPM},
				Metadata{"source.version", a.Version},
				Metadata{"source.license", a.License})
		}
		out = append(out,
			Metadata{"source." + name + ".path", a.Path},
			Metadata{"source." + name + ".sha256", a.SHA256})
	}
	return out, nil
}
