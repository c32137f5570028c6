package govdata

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// ResourceID identifies a catalog resource (a UUIDv7).
type ResourceID uuid.UUID

// String returns the canonical text form.
func (id ResourceID) String() string { return uuid.UUID(id).String() }

// MarshalText writes the canonical text form.
func (id ResourceID) MarshalText() ([]byte, error) { return uuid.UUID(id).MarshalText() }

// UnmarshalText reads the canonical text form.
func (id *ResourceID) UnmarshalText(b []byte) error { return (*uuid.UUID)(id).UnmarshalText(b) }

// Field is one data item of a resource. Source is empty when this resource
// is the item's one source (一数一源, Shaanxi Art. 26); otherwise it is the
// code of the resource that is.
type Field struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Source string `json:"source,omitempty"`
}

// Resource is one entry of the unified government data catalog (Tianjin
// Art. 10, Municipal Art. 12, Shaanxi Art. 22): the providing department,
// its data items, update frequency, format, sharing and opening classes and
// the legal basis of any restriction. Every change makes a new Version.
type Resource struct {
	ID ResourceID `json:"id"`
	// Code is the catalog identifier sellers cite as catalog_id ("TJ-SCJ-0001").
	Code           string         `json:"code"`
	Version        int            `json:"version"`
	DepartmentID   market.PartyID `json:"department_id"`
	DepartmentName string         `json:"department_name"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Fields         []Field        `json:"fields"`
	// SourceSystem is the information system the data is collected in.
	SourceSystem    string     `json:"source_system"`
	UpdateFrequency Frequency  `json:"update_frequency"`
	Format          string     `json:"format"`
	ShareClass      ShareClass `json:"share_class"`
	// ShareBasis is the law, regulation or rule behind a conditional or no
	// sharing class (Tianjin Art. 16).
	ShareBasis string           `json:"share_basis,omitempty"`
	OpenClass  market.OpenClass `json:"open_class"`
	// OpenBasis is the basis of a conditional or no opening class, made
	// public (Municipal Art. 27).
	OpenBasis string    `json:"open_basis,omitempty"`
	Keywords  []string  `json:"keywords"`
	HasData   bool      `json:"has_data"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$`)
var fieldPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Normalize trims the text of r as it is stored.
func (r *Resource) Normalize() {
	r.Code = strings.TrimSpace(r.Code)
	r.Title = strings.TrimSpace(r.Title)
	r.Description = strings.TrimSpace(r.Description)
	r.SourceSystem = strings.TrimSpace(r.SourceSystem)
	r.Format = strings.ToLower(strings.TrimSpace(r.Format))
	r.ShareBasis = strings.TrimSpace(r.ShareBasis)
	r.OpenBasis = strings.TrimSpace(r.OpenBasis)
	for i := range r.Fields {
		r.Fields[i].Name = strings.TrimSpace(r.Fields[i].Name)
		r.Fields[i].Title = strings.TrimSpace(r.Fields[i].Title)
		r.Fields[i].Source = strings.TrimSpace(r.Fields[i].Source)
	}
	if r.Keywords == nil {
		r.Keywords = []string{}
	}
}

// Validate checks a normalized resource. It returns an ErrInvalid
// *market.Error naming the first field at fault; a restricted class
// without its basis cites Tianjin Art. 16 (sharing) or Municipal Art. 27
// (opening).
func (r *Resource) Validate() error {
	switch {
	case !codePattern.MatchString(r.Code):
		return market.Invalid("code", "invalid_code", "code %q: want 2–64 letters, digits, '.', '_' or '-'", r.Code)
	case r.Title == "":
		return market.Invalid("title", "missing_field", "title is required")
	case len(r.Fields) == 0:
		return market.Invalid("fields", "missing_field", "fields: list at least one data item (%s)", ArticleTianjin10)
	case r.SourceSystem == "":
		return market.Invalid("source_system", "missing_field", "source_system is required: the one source of the data (%s)", ArticleShaanxi26)
	case !r.UpdateFrequency.Valid():
		return market.Invalid("update_frequency", "invalid_frequency", "update_frequency %q: want realtime, daily, weekly, monthly, quarterly, yearly or irregular", r.UpdateFrequency)
	case !slices.Contains(Formats, r.Format):
		return market.Invalid("format", "invalid_format", "format %q: want one of %s", r.Format, strings.Join(Formats, ", "))
	case !r.ShareClass.Valid():
		return market.Invalid("share_class", "invalid_class", "share_class %q: want unconditional, conditional or none", r.ShareClass)
	case !validOpen(r.OpenClass):
		return market.Invalid("open_class", "invalid_class", "open_class %q: want unconditional, conditional or none", r.OpenClass)
	}
	if r.ShareClass != ShareUnconditional && r.ShareBasis == "" {
		e := market.Invalid("share_basis", "missing_basis", "share_basis is required for share_class %s: the law, regulation or rule behind the restriction", r.ShareClass)
		e.Article = ArticleTianjin16
		return e
	}
	if r.OpenClass != market.OpenUnconditional && r.OpenBasis == "" {
		e := market.Invalid("open_basis", "missing_basis", "open_basis is required for open_class %s: the basis of the restriction is made public", r.OpenClass)
		e.Article = ArticleMunicipal27
		return e
	}
	seen := map[string]bool{}
	for _, f := range r.Fields {
		if !fieldPattern.MatchString(f.Name) {
			return market.Invalid("fields", "invalid_field", "field name %q: want lower-case letters, digits and _", f.Name)
		}
		if seen[f.Name] {
			return market.Invalid("fields", "invalid_field", "field %q is listed twice", f.Name)
		}
		seen[f.Name] = true
		if f.Source == r.Code {
			return market.Invalid("fields", "invalid_field", "field %q names this resource as its source; leave source empty instead", f.Name)
		}
	}
	return nil
}

// FieldNames returns the names of r's data items, in order.
func (r *Resource) FieldNames() []string {
	out := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		out[i] = f.Name
	}
	return out
}

// OwnItems returns the data items r is the one source of.
func (r *Resource) OwnItems() []string {
	var out []string
	for _, f := range r.Fields {
		if f.Source == "" {
			out = append(out, f.Name)
		}
	}
	return out
}

// Data is the machine-readable content of a resource's current version:
// named columns and rows of text (Tianjin Art. 22).
type Data struct {
	Version int        `json:"version"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Validate checks that d has its resource's columns and rectangular rows.
func (d *Data) Validate(r *Resource) error {
	if !slices.Equal(d.Columns, r.FieldNames()) {
		return market.Invalid("columns", "invalid_columns", "columns %v: want the resource's fields %v", d.Columns, r.FieldNames())
	}
	for i, row := range d.Rows {
		if len(row) != len(d.Columns) {
			return market.Invalid("rows", "invalid_row", "row %d has %d values, want %d", i, len(row), len(d.Columns))
		}
	}
	return nil
}

// Query is a catalog search.
type Query struct {
	Q            string
	DepartmentID market.PartyID
	ShareClass   ShareClass
	OpenClass    market.OpenClass
	Limit        int
	Offset       int
}
