package config

import (
	"testing"
	"time"
)

// The limits of text extraction: defaults, sizes from the environment and
// flags, and values too small to run are refused.
func TestExtractLimits(t *testing.T) {
	dir := t.TempDir()
	c, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir})
	if err != nil {
		t.Fatal(err)
	}
	if c.ExtractMemory != 512<<20 || c.ExtractCPU != time.Minute || c.ExtractTimeout != 2*time.Minute || c.ExtractMaxOutput != 512<<10 {
		t.Fatalf("defaults: %d %v %v %d", c.ExtractMemory, c.ExtractCPU, c.ExtractTimeout, c.ExtractMaxOutput)
	}
	c, err = parse(t, map[string]string{"KOLLAB_DATA_DIR": dir, "KOLLAB_EXTRACT_MEMORY": "1GiB", "KOLLAB_EXTRACT_CPU": "30s",
		"KOLLAB_EXTRACT_TIMEOUT": "45s", "KOLLAB_EXTRACT_MAX_OUTPUT": "1MiB"}, "-extract-memory", "768MiB")
	if err != nil {
		t.Fatal(err)
	}
	if c.ExtractMemory != 768<<20 || c.ExtractCPU != 30*time.Second || c.ExtractTimeout != 45*time.Second || c.ExtractMaxOutput != 1<<20 {
		t.Fatalf("set: %d %v %v %d", c.ExtractMemory, c.ExtractCPU, c.ExtractTimeout, c.ExtractMaxOutput)
	}
	for _, env := range []map[string]string{
		{"KOLLAB_EXTRACT_MEMORY": "64MiB"},
		{"KOLLAB_EXTRACT_CPU": "100ms"},
		{"KOLLAB_EXTRACT_MAX_OUTPUT": "1GiB"},
	} {
		env["KOLLAB_DATA_DIR"] = dir
		if _, err := parse(t, env); err == nil {
			t.Errorf("%v accepted", env)
		}
	}
	if _, err := parse(t, map[string]string{"KOLLAB_DATA_DIR": dir}, "-extract-memory", "viel"); err == nil {
		t.Error("-extract-memory viel accepted")
	}
}
