// Package govdata is the government-data domain of Shujiao: the unified
// catalog of government data resources (Tianjin Art. 10–12, Municipal Art.
// 12–16, Shaanxi Art. 22, 26), sharing between departments (Tianjin Art.
// 15–19, Municipal Art. 17–23, Shaanxi Art. 28–30), opening to the public
// (Tianjin Art. 20–23, Municipal Art. 24–27, Shaanxi Art. 31), applications
// for conditional sharing and opening answered on the statutory clocks in
// working days, the approvals they grant, objections (Shaanxi Art. 27) and
// the coordinator's evaluation statistics (Shaanxi Art. 24).
//
// Like package market it is pure: Service takes the acting market.Actor,
// checks role and party, applies the rules and stores through the Store
// interface declared beside it (internal/postgres implements it).
package govdata
