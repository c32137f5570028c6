package govdata

import (
	"slices"
	"time"

	"github.com/shujiao/shujiao/market"
)

// DepartmentStats is one department's record for the coordinator's
// evaluation (Shaanxi Art. 24, Tianjin Art. 14): the applications it
// received, how many it answered and how many of those on time, its
// refusals, escalations, open overdue applications, and the objections
// to its data.
type DepartmentStats struct {
	DepartmentID   market.PartyID `json:"department_id"`
	DepartmentName string         `json:"department_name"`
	Resources      int            `json:"resources"`
	Applications   int            `json:"applications"`
	Answered       int            `json:"answered"`
	OnTime         int            `json:"on_time"`
	Refused        int            `json:"refused"`
	Escalated      int            `json:"escalated"`
	Overdue        int            `json:"overdue"`
	Objections     int            `json:"objections"`
	Corrected      int            `json:"corrected"`
}

// Statistics computes per-department statistics at now from the
// departments, their resource counts, every application and every
// objection; departments are in name order.
func Statistics(depts []market.Party, resources map[market.PartyID]int, apps []Application, objs []Objection, now time.Time) []DepartmentStats {
	by := map[market.PartyID]*DepartmentStats{}
	out := make([]DepartmentStats, 0, len(depts))
	for _, d := range depts {
		by[d.ID] = &DepartmentStats{DepartmentID: d.ID, DepartmentName: d.Name, Resources: resources[d.ID]}
	}
	for i := range apps {
		a := &apps[i]
		s := by[a.ProviderID]
		if s == nil {
			continue
		}
		s.Applications++
		if a.AnsweredAt != nil && !a.DecidedByCoordinator {
			s.Answered++
			if a.AnsweredOnTime() {
				s.OnTime++
			}
		}
		if a.State == StateRefused && !a.DecidedByCoordinator {
			s.Refused++
		}
		if a.EscalatedAt != nil {
			s.Escalated++
		}
		if a.IsOverdue(now) {
			s.Overdue++
		}
	}
	for i := range objs {
		if s := by[objs[i].ProviderID]; s != nil {
			s.Objections++
			if objs[i].State == ObjectionCorrected {
				s.Corrected++
			}
		}
	}
	for _, d := range depts {
		out = append(out, *by[d.ID])
	}
	slices.SortFunc(out, func(a, b DepartmentStats) int {
		switch {
		case a.DepartmentName < b.DepartmentName:
			return -1
		case a.DepartmentName > b.DepartmentName:
			return 1
		}
		return 0
	})
	return out
}
