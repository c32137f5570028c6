// Package trace marks every delivered copy of a certified release with its
// order's fingerprint, and traces a leaked file back to the orders whose
// copies it came from (docs/fingerprint.md).
//
// Service.Mark makes an order's copy when its delivery is sealed;
// Service.Trace is the regulator's use case behind `shujiao trace` and
// POST /v1/regulator/trace. The order secrets are derived from a platform
// key (blob.Store.DeriveKey) and never stored nor given to the buyer.
package trace
