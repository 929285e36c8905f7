// promcheck validates Prometheus text exposition read from stdin with the official parser
// (github.com/prometheus/common/expfmt, what Prometheus itself uses to scrape) and lints it the way
// `promtool check metrics` does: duplicate series, a counter not ending in _total, metric-name rules.
// Prints one problem per line and exits 1 when there is any; prints a summary and exits 0 otherwise.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func main() {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bufio.NewReader(os.Stdin))
	if err != nil {
		fmt.Println("parse error:", err)
		os.Exit(1)
	}
	var problems []string
	names := make([]string, 0, len(families))
	for name := range families {
		names = append(names, name)
	}
	sort.Strings(names)
	series := 0
	for _, name := range names {
		mf := families[name]
		if !model.IsValidLegacyMetricName(name) {
			problems = append(problems, fmt.Sprintf("%s: not a valid metric name", name))
		}
		if mf.GetType() == dto.MetricType_COUNTER && !strings.HasSuffix(name, "_total") {
			problems = append(problems, fmt.Sprintf("%s: counter metrics should have a _total suffix", name))
		}
		if mf.GetHelp() == "" {
			problems = append(problems, fmt.Sprintf("%s: no help text", name))
		}
		seen := map[string]bool{}
		for _, m := range mf.GetMetric() {
			series++
			pairs := make([]string, 0, len(m.GetLabel()))
			for _, l := range m.GetLabel() {
				if !model.LabelName(l.GetName()).IsValidLegacy() {
					problems = append(problems, fmt.Sprintf("%s: invalid label name %q", name, l.GetName()))
				}
				pairs = append(pairs, l.GetName()+"="+l.GetValue())
			}
			sort.Strings(pairs)
			key := strings.Join(pairs, "\x00")
			if seen[key] {
				problems = append(problems, fmt.Sprintf("%s: duplicate series {%s}", name, strings.Join(pairs, ",")))
			}
			seen[key] = true
		}
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("ok: %d families, %d series\n", len(families), series)
}
