// Package notice renders the Chinese administrative documents of a
// regulator case as printable HTML: the correction order (责令改正通知书),
// the advance notice of penalty (行政处罚告知书, with the hearing-rights
// notice of Shaanxi Art. 77 when it is due) and the penalty decision
// (行政处罚决定书). The figures come from market.ComputePenalty and the
// working-day deadline from market.Calendar; templates are embedded and
// every value is escaped by html/template.
package notice
