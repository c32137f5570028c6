package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/shujiao/shujiao/market"
)

// runPenalty computes the penalties of a case file offline under Shaanxi
// Art. 74, 75 and 77: shujiao penalty CASE.json [--json]. CASE.json may be
// "-" for standard input.
func runPenalty(ctx context.Context, env *cliEnv, args []string) error {
	flags := newFlags(env, "penalty", "CASE.json [--json]")
	asJSON := flags.Bool("json", false, "print the computation as JSON")
	pos, err := parseFlags(flags, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("penalty: want one case file (or - for standard input), got %d arguments", len(pos))
	}
	name := pos[0]
	var data []byte
	if name == "-" {
		name = "stdin"
		data, err = io.ReadAll(env.stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the name is already said
		}
		return inputError(fmt.Errorf("%s: %w", name, err))
	}
	c, err := market.ParsePenaltyCase(data)
	if err != nil {
		return inputError(fmt.Errorf("%s: %w", name, err))
	}
	res, err := market.ComputePenalty(c)
	if err != nil {
		return inputError(fmt.Errorf("%s: %w", name, err))
	}
	if *asJSON {
		return writeJSON(env.stdout, res)
	}
	return writePenaltySummary(env.stdout, res)
}

// writePenaltySummary prints the result for a person: each violation's
// figures and steps, then the totals and the Art. 77 verdict.
func writePenaltySummary(w io.Writer, r market.PenaltyResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Penalty case: party %s (%s)\n", r.Party.ID, r.Party.Kind)
	for i, v := range r.Violations {
		product := ""
		if v.Product != "" {
			product = ", product " + v.Product
		}
		fmt.Fprintf(&b, "\nViolation %d: %s, for breach of %s (trades %s%s)\n", i+1, v.Article, v.Breach, strings.Join(v.TradeIDs, ", "), product)
		fmt.Fprintf(&b, "  transaction amount  %s yuan\n", v.TransactionAmount)
		fmt.Fprintf(&b, "  confiscation        %s yuan\n", v.Confiscation)
		if v.FineApplies {
			fmt.Fprintf(&b, "  fine range          %s–%s yuan\n", v.FineMin, v.FineMax)
			fmt.Fprintf(&b, "  recommended fine    %s yuan (%s band; factors: %s)\n", v.FineRecommended, v.Discretion, factorNames(v.FactorsUsed))
			if v.Override != nil {
				fmt.Fprintf(&b, "  override            %s yuan (%s)\n", v.Override.Fine, v.Override.Reason)
			}
		} else {
			fmt.Fprintf(&b, "  fine range          none (no fine applies)\n")
		}
		fmt.Fprintf(&b, "  fine proposed       %s yuan\n", v.Fine)
		fmt.Fprintf(&b, "  decision            %s (%s)\n", v.Decision, v.DecisionBasis)
		if v.DecisionReason != "" {
			fmt.Fprintf(&b, "  reasons             %s\n", v.DecisionReason)
		}
		b.WriteString("  options:\n")
		for _, o := range v.DecisionOptions {
			mandatory := ""
			if o.Mandatory {
				mandatory = ", mandatory"
			}
			fmt.Fprintf(&b, "    - %-18s fine %s–%s yuan%s; %s\n", o.Kind, o.FineMin, o.FineMax, mandatory, o.Basis)
		}
		b.WriteString("  steps:\n")
		for k, s := range v.Steps {
			fmt.Fprintf(&b, "    %d. %s\n", k+1, s)
		}
	}
	fmt.Fprintf(&b, "\nTotal confiscation    %s yuan\n", r.TotalConfiscation)
	fmt.Fprintf(&b, "Total fine            %s yuan\n", r.TotalFine)
	verdict := "not due"
	if r.HearingNotice {
		verdict = "due"
	}
	fmt.Fprintf(&b, "Hearing-rights notice %s (%s)\n", verdict, r.HearingBasis)
	_, err := io.WriteString(w, b.String())
	return err
}

func factorNames(fs []market.PenaltyFactor) string {
	if len(fs) == 0 {
		return "none"
	}
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}
