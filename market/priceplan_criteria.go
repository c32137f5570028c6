package market

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// ParseCriteria reads tier criteria as a trade file writes them (the
// tier_criteria column, docs/pricing.md): "key=value" pairs separated by
// ";", lists separated by "|", the keys those of Criteria's JSON:
//
//	min_volume=500;channels=standard|express;credits=A|B
//
// It returns an error naming the pair at fault; an empty text or a text
// that constrains nothing is an error, as a tier with no criteria is no
// evidence.
func ParseCriteria(s string) (Criteria, error) {
	var k Criteria
	n := 0
	for _, pair := range strings.Split(s, ";") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		key, val, ok := strings.Cut(pair, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || val == "" {
			return Criteria{}, fmt.Errorf("%q: want key=value", pair)
		}
		list := strings.Split(val, "|")
		for i := range list {
			list[i] = strings.TrimSpace(list[i])
		}
		var err error
		switch key {
		case "min_volume", "max_volume":
			d, derr := decimal.NewFromString(val)
			if derr != nil || d.IsNegative() {
				return Criteria{}, fmt.Errorf("%s: %q is not a non-negative number", key, val)
			}
			if key == "min_volume" {
				k.MinVolume = &d
			} else {
				k.MaxVolume = &d
			}
		case "channels":
			k.Channels = list
		case "delivery_modes":
			k.DeliveryModes = list
		case "min_certification_level":
			k.MinCertLevel = val
		case "credits":
			for _, c := range list {
				k.Credits = append(k.Credits, CreditRating(c))
			}
		case "stages":
			for _, c := range list {
				k.Stages = append(k.Stages, Stage(c))
			}
		case "min_duration_months":
			k.MinDurationMonths, err = strconv.Atoi(val)
		case "max_duration_months":
			k.MaxDurationMonths, err = strconv.Atoi(val)
		default:
			return Criteria{}, fmt.Errorf("%q: unknown criterion (want min_volume, max_volume, channels, delivery_modes, min_certification_level, credits, stages, min_duration_months, max_duration_months)", key)
		}
		if err != nil || k.MinDurationMonths < 0 || k.MaxDurationMonths < 0 {
			return Criteria{}, fmt.Errorf("%s: %q is not a whole number of months", key, val)
		}
		n++
	}
	if n == 0 {
		return Criteria{}, fmt.Errorf("%q names no criterion", s)
	}
	return k, nil
}

// normalized returns the criteria with their values mapped through the
// vocabulary, and the values it does not know.
func (k Criteria) normalized(n *Normalizer) (Criteria, []UnrecognizedCondition) {
	var bad []UnrecognizedCondition
	mapAll := func(i int, field string, in []string) []string {
		out := make([]string, len(in))
		for j, s := range in {
			v, ok := n.idx[i].lookup(s)
			if !ok {
				bad = append(bad, UnrecognizedCondition{Field: field, Value: s})
			}
			out[j] = v
		}
		return out
	}
	k.DeliveryModes = mapAll(0, FieldDeliveryMode, k.DeliveryModes)
	k.Channels = mapAll(2, FieldChannel, k.Channels)
	if k.MinCertLevel != "" {
		k.MinCertLevel = mapAll(1, FieldCertificationLevel, []string{k.MinCertLevel})[0]
	}
	credits := make([]string, len(k.Credits))
	for i, c := range k.Credits {
		credits[i] = string(c)
	}
	k.Credits = nil
	for _, c := range mapAll(3, FieldCredit, credits) {
		k.Credits = append(k.Credits, CreditRating(c))
	}
	stages := make([]string, len(k.Stages))
	for i, s := range k.Stages {
		stages[i] = string(s)
	}
	k.Stages = nil
	for _, s := range mapAll(4, FieldStage, stages) {
		k.Stages = append(k.Stages, Stage(s))
	}
	return k, bad
}
