package billing

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// planYAML is a plan as the plans file spells it.
type planYAML struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	LookupKey string `yaml:"lookup_key"`
	Interval  string `yaml:"interval"`
	Amount    int64  `yaml:"amount"`
	Currency  string `yaml:"currency"`
	PerSeat   bool   `yaml:"per_seat"`
	TrialDays int    `yaml:"trial_days"`
}

// LoadPlans returns the plans of the file at path, or the built-in plans when path is "".
func LoadPlans(path string) ([]Plan, error) {
	if path == "" {
		return DefaultPlans()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	return ParsePlans(data)
}

//go:embed plans.yaml
var defaultPlans []byte

var (
	planIDRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	lookupRE   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,200}$`)
	currencyRE = regexp.MustCompile(`^[a-z]{3}$`)
)

// DefaultPlans returns the plans shipped with the binary.
func DefaultPlans() ([]Plan, error) { return ParsePlans(defaultPlans) }

// ParsePlans reads and validates a plans YAML document ({plans: [...]}).
func ParsePlans(data []byte) ([]Plan, error) {
	var doc struct {
		Plans []planYAML `yaml:"plans"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	if len(doc.Plans) == 0 {
		return nil, fmt.Errorf("plans: the file lists no plans")
	}
	ids, keys := map[string]bool{}, map[string]bool{}
	plans := make([]Plan, len(doc.Plans))
	for i, y := range doc.Plans {
		p := Plan(y)
		plans[i] = p
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("plans[%d] (%s): %w", i, p.ID, err)
		}
		if ids[p.ID] || keys[p.LookupKey] {
			return nil, fmt.Errorf("plans[%d] (%s): duplicate id or lookup_key", i, p.ID)
		}
		ids[p.ID], keys[p.LookupKey] = true, true
	}
	return plans, nil
}

func (p Plan) validate() error {
	switch {
	case !planIDRE.MatchString(p.ID):
		return fmt.Errorf("id must be lower-case letters, digits and dashes")
	case strings.TrimSpace(p.Name) == "":
		return fmt.Errorf("name is required")
	case !lookupRE.MatchString(p.LookupKey):
		return fmt.Errorf("lookup_key must be letters, digits, _ . or -")
	case p.Interval != "month" && p.Interval != "year":
		return fmt.Errorf("interval must be month or year")
	case p.Amount <= 0:
		return fmt.Errorf("amount must be a positive number of cents")
	case !currencyRE.MatchString(p.Currency):
		return fmt.Errorf("currency must be a lower-case ISO 4217 code such as usd")
	case p.TrialDays < 0 || p.TrialDays > 730:
		return fmt.Errorf("trial_days must be from 0 to 730")
	}
	return nil
}
