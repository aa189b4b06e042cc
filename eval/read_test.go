package eval_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/testenv"

	"github.com/idkit-dev/idkit/eval"
)

func TestReadAgeLabels(t *testing.T) {
	set, err := eval.ReadAgeLabels("testdata/age")
	require.NoError(t, err)
	require.Len(t, set.Items, 2)
	assert.Equal(t, eval.AgeItem{Line: 2, File: "images/a.jpg", Path: filepath.Join("testdata/age", "images", "a.jpg"), Age: 10}, set.Items[0])
	assert.Equal(t, 17.5, set.Items[1].Age, "values are trimmed")
	assert.Equal(t, 3, set.Items[1].Line)
	require.Len(t, set.Missing, 1)
	assert.Equal(t, 4, set.Missing[0].Line)
	assert.Equal(t, "images/missing.jpg", set.Missing[0].File)
	assert.ErrorIs(t, set.Missing[0].Err, fs.ErrNotExist)
	assert.Equal(t, filepath.Join("testdata/age", "labels.csv"), set.LabelFile)
}

func TestReadLivenessLabels(t *testing.T) {
	// Header in another order, with a byte-order mark and capitals.
	set, err := eval.ReadLivenessLabels("testdata/liveness")
	require.NoError(t, err)
	require.Len(t, set.Items, 3)
	assert.Empty(t, set.Missing)
	assert.True(t, set.Items[0].Live)
	assert.False(t, set.Items[1].Live)
	assert.True(t, set.Items[2].Live, "REAL means live")
	assert.Equal(t, "spoof/2.jpg", set.Items[1].File)
}

func TestReadPairs(t *testing.T) {
	set, err := eval.ReadPairs("testdata/pairs")
	require.NoError(t, err)
	require.Len(t, set.Items, 2)
	assert.True(t, set.Items[0].Same)
	assert.False(t, set.Items[1].Same)
	assert.Equal(t, filepath.Join("testdata/pairs", "images", "y1.jpg"), set.Items[1].PathB)
	require.Len(t, set.Missing, 1, "a pair with one missing image is missing")
	assert.Equal(t, "images/gone.jpg", set.Missing[0].File)
	assert.Equal(t, 4, set.Missing[0].Line)
}

func TestReadMRZLabels(t *testing.T) {
	set, err := eval.ReadMRZLabels("testdata/mrz")
	require.NoError(t, err)
	require.Len(t, set.Items, 2)
	assert.Equal(t, 1, set.Items[0].Line)
	assert.Len(t, set.Items[0].Lines, 2)
	assert.Equal(t, 3, set.Items[1].Line, "blank lines keep their numbers")
	assert.Len(t, set.Items[1].Lines, 3)
}

func TestReadAAMVALabels(t *testing.T) {
	set, err := eval.ReadAAMVALabels("testdata/aamva")
	require.NoError(t, err)
	require.Len(t, set.Items, 1)
	assert.Equal(t, map[string]string{"DCS": "SAMPLE", "DAC": "JOHN", "DBB": "01311980", "DAU": "70"}, set.Items[0].Fields)
	require.Len(t, set.Missing, 1)
	assert.Equal(t, "dl-missing.txt", set.Missing[0].File)
}

func TestReadMissingLabelFile(t *testing.T) {
	_, err := eval.ReadAgeLabels(t.TempDir())
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), "labels.csv")
}

// writeLabels makes a folder with one label file and an image a.jpg.
func writeLabels(t *testing.T, name, content string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.jpg"), []byte("x"), 0o644))
	return dir
}

func TestReadMalformed(t *testing.T) {
	tests := map[string]struct {
		read    func(dir string) error
		file    string
		content string
		line    int      // line of the first RowError
		want    []string // fragments of the message
	}{
		"empty csv":          {readAge, "labels.csv", "", 0, []string{"labels.csv", "empty file", "file,age"}},
		"header only":        {readAge, "labels.csv", "file,age\n", 0, []string{"no data rows"}},
		"missing column":     {readAge, "labels.csv", "file,years\na.jpg,3\n", 1, []string{`no column "age"`, "file,years"}},
		"duplicate column":   {readAge, "labels.csv", "file,age,age\na.jpg,3,4\n", 1, []string{`"age" appears twice`}},
		"bad age":            {readAge, "labels.csv", "file,age\na.jpg,3\na.jpg,three\n", 3, []string{"labels.csv:3:", `age "three"`}},
		"negative age":       {readAge, "labels.csv", "file,age\na.jpg,-1\n", 2, []string{`age "-1"`}},
		"NaN age":            {readAge, "labels.csv", "file,age\na.jpg,NaN\n", 2, []string{`age "NaN"`}},
		"short row":          {readAge, "labels.csv", "file,age\na.jpg\n", 2, []string{`column "age" is number 2`}},
		"empty file value":   {readAge, "labels.csv", "file,age\n ,3\n", 2, []string{`column "file" is empty`}},
		"bare quote":         {readAge, "labels.csv", "file,age\na\"b.jpg,3\na.jpg,4\n", 2, []string{"labels.csv:2:", "quote"}},
		"bad label":          {readLiveness, "labels.csv", "file,label\na.jpg,maybe\n", 2, []string{`label "maybe"`}},
		"bad same":           {readPairs, "pairs.csv", "a,b,same\na.jpg,a.jpg,2\n", 2, []string{`same "2"`}},
		"not json":           {readMRZ, "labels.jsonl", "{\"file\":\"a.jpg\",\"mrz\":[\"A\",\"B\"]}\n{nope\n", 2, []string{"labels.jsonl:2:"}},
		"mrz wrong type":     {readMRZ, "labels.jsonl", `{"file":"a.jpg","mrz":"P<UTO"}`, 1, []string{"labels.jsonl:1:", "string"}},
		"mrz no file":        {readMRZ, "labels.jsonl", `{"mrz":["A","B"]}`, 1, []string{`"file" is missing`}},
		"mrz 4 lines":        {readMRZ, "labels.jsonl", `{"file":"a.jpg","mrz":["A","B","C","D"]}`, 1, []string{"has 4 lines"}},
		"mrz empty line":     {readMRZ, "labels.jsonl", `{"file":"a.jpg","mrz":["A",""]}`, 1, []string{"line 2 is empty"}},
		"jsonl empty":        {readMRZ, "labels.jsonl", "\n\n", 0, []string{"no JSON objects"}},
		"aamva no fields":    {readAAMVA, "labels.jsonl", `{"file":"a.jpg"}`, 1, []string{`"fields" is missing`}},
		"aamva object value": {readAAMVA, "labels.jsonl", `{"file":"a.jpg","fields":{"DCS":{"x":1}}}`, 1, []string{`field "DCS"`, "neither a string nor a number"}},
		"aamva array":        {readAAMVA, "labels.jsonl", `[1,2]`, 1, []string{"labels.jsonl:1:"}},
		"aamva long line":    {readAAMVA, "labels.jsonl", `{"file":"a.jpg","fields":{"DCS":"` + strings.Repeat("x", 1<<20) + `"}}`, 1, []string{"longer than"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writeLabels(t, tc.file, tc.content)
			err := tc.read(dir)
			require.Error(t, err)
			var re *eval.RowError
			require.True(t, errors.As(err, &re), "want a RowError, got %v", err)
			assert.Equal(t, tc.line, re.Line)
			assert.Equal(t, filepath.Join(dir, tc.file), re.File)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestReadReportsEveryBadRow(t *testing.T) {
	var b strings.Builder
	b.WriteString("file,age\n")
	for range 30 {
		b.WriteString("a.jpg,x\n")
	}
	dir := writeLabels(t, "labels.csv", b.String())
	_, err := eval.ReadAgeLabels(dir)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "labels.csv:2:")
	assert.Contains(t, msg, "labels.csv:21:")
	assert.NotContains(t, msg, "labels.csv:22:", "the list is bounded")
	assert.Contains(t, msg, "10 more malformed rows")
}

func TestResolve(t *testing.T) {
	assert.Equal(t, filepath.Join("d", "x", "y.jpg"), eval.Resolve("d", "x/y.jpg"))
	abs, err := filepath.Abs("z.jpg")
	require.NoError(t, err)
	assert.Equal(t, abs, eval.Resolve("d", abs))
}

// TestReadEvalDev reads the development sets when they are present; it
// only checks their formats, never copies them.
func TestReadEvalDev(t *testing.T) {
	root := testenv.EvalDev(t, "")
	age, err := eval.ReadAgeLabels(filepath.Join(root, "age"))
	require.NoError(t, err)
	assert.NotEmpty(t, age.Items)
	assert.Empty(t, age.Missing)
	spoof, err := eval.ReadLivenessLabels(filepath.Join(root, "spoof"))
	require.NoError(t, err)
	assert.NotEmpty(t, spoof.Items)
	assert.Empty(t, spoof.Missing)
	pairs, err := eval.ReadPairs(filepath.Join(root, "verify"))
	require.NoError(t, err)
	assert.NotEmpty(t, pairs.Items)
	assert.Empty(t, pairs.Missing)
}

func readAge(dir string) error      { _, err := eval.ReadAgeLabels(dir); return err }
func readLiveness(dir string) error { _, err := eval.ReadLivenessLabels(dir); return err }
func readPairs(dir string) error    { _, err := eval.ReadPairs(dir); return err }
func readMRZ(dir string) error      { _, err := eval.ReadMRZLabels(dir); return err }
func readAAMVA(dir string) error    { _, err := eval.ReadAAMVALabels(dir); return err }
