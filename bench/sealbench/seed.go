package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/bench/internal/benchapi"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// password is every seeded user's.
const password = "seal benchmark password"

// listing is a certified listing of a release of rows rows, sold per
// licence (every order delivers the whole release).
type listing struct {
	id    uuid.UUID
	rows  int
	bytes int64 // the certified release's size
}

// user registers an organization with one user holding role; it returns
// the user's actor and an API token.
func (e *env) user(ctx context.Context, n int, role market.Role) (market.Actor, string, error) {
	body := fmt.Sprintf("9161013100%07d", n)
	email := fmt.Sprintf("user%d@sealbench.test", n)
	p := market.Party{Kind: market.PartyOrganization, Type: market.PartyParticipant, Name: fmt.Sprintf("封装压测公司 %d", n),
		Jurisdiction: "61", CreditCode: body + string(anonymizer.USCCCheckChar(body))}
	party, _, err := e.accounts.Seed(ctx, market.Registration{Party: p,
		User: market.NewUser{Email: email, Name: p.Name, Password: password}, Roles: []market.Role{role}})
	if err != nil {
		return market.Actor{}, "", err
	}
	_, a, err := e.accounts.Login(ctx, email, password, party.ID)
	if err != nil {
		return market.Actor{}, "", err
	}
	_, secret, err := e.accounts.CreateToken(ctx, a, "sealbench", 24*time.Hour)
	return a, secret, err
}

// call sends one JSON request to the seeding server and decodes a 2xx
// answer into out.
func (e *env) call(ctx context.Context, token, method, path string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, r)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(req, token, out)
}

func (e *env) send(req *http.Request, token string, out any) error {
	return benchapi.Send(e.client, req, token, out)
}

// seedListings lists, through the seeding server's API, one certified
// release per size (a synthetic table de-identified by the server, as a
// seller does it), each with a plan of 10.00 per licence.
func seedListings(ctx context.Context, e *env, sizes []int) ([]listing, error) {
	_, seller, err := e.user(ctx, 1, market.RoleSeller)
	if err != nil {
		return nil, err
	}
	var out []listing
	for _, rows := range sizes {
		cert, ds, size, err := e.certifiedDataset(ctx, seller, rows)
		if err != nil {
			return nil, fmt.Errorf("certified dataset of %d rows: %w", rows, err)
		}
		decl := map[string]any{"title": fmt.Sprintf("封装压测数据集 %d 行", rows), "description": "seal benchmark", "category": "transport",
			"product_type": "dataset", "dataset_id": ds, "certificate_id": cert, "contains_personal_info": true,
			"contains_sensitive_personal_info": true, "contains_minors_data": false, "classification": "general",
			"security_assessment_ref": nil, "export_intended": false, "state_secret": false, "price": "10.00",
			"sources": []any{map[string]any{"origin": "self_collected", "own_data": true, "disclosure": "non_public",
				"authorization": nil, "government": nil,
				"collection": map[string]any{"basis": "consent_record", "reference": "压测同意记录", "notice_ref": "压测告知 v1"}}}}
		var l struct {
			ID    uuid.UUID `json:"id"`
			State string    `json:"state"`
		}
		if err := e.call(ctx, seller, http.MethodPost, "/v1/listings", decl, &l); err != nil {
			return nil, err
		}
		if err := e.call(ctx, seller, http.MethodPost, "/v1/listings/"+l.ID.String()+"/submit", nil, &l); err != nil || l.State != "listed" {
			return nil, fmt.Errorf("submit listing: state %q: %w", l.State, err)
		}
		if err := e.call(ctx, seller, http.MethodPut, "/v1/listings/"+l.ID.String()+"/price-plan",
			map[string]any{"unit": "licence", "base_price": "10.00"}, nil); err != nil {
			return nil, err
		}
		out = append(out, listing{id: l.ID, rows: rows, bytes: size})
	}
	return out, nil
}

// seedBuyers registers n buyers, each funded and with key registered; it
// returns their actors.
func seedBuyers(ctx context.Context, e *env, n int, key *pgp.Key) ([]market.Actor, error) {
	pub, err := key.ArmoredPublic()
	if err != nil {
		return nil, err
	}
	var out []market.Actor
	for i := range n {
		a, tok, err := e.user(ctx, 100+i, market.RoleBuyer)
		if err != nil {
			return nil, err
		}
		if err := e.call(ctx, tok, http.MethodPost, "/v1/accounts/deposits",
			map[string]any{"amount": "100000000.00", "reference": "SEAL-" + uuid.NewString()}, nil); err != nil {
			return nil, err
		}
		if err := e.call(ctx, tok, http.MethodPut, "/v1/parties/"+a.PartyID.String()+"/pgp-key", map[string]any{"armored": string(pub)}, nil); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// certifiedDataset uploads a synthetic table of rows rows and
// de-identifies it through the API; it returns the certificate and
// dataset ids and the certified release's size in bytes.
func (e *env) certifiedDataset(ctx context.Context, token string, rows int) (string, string, int64, error) {
	var csv bytes.Buffer
	if err := anonymizer.Synthesize(&csv, rows, 7, anonymizer.FormatCSV); err != nil {
		return "", "", 0, err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "people.csv")
	if err != nil {
		return "", "", 0, err
	}
	if _, err := fw.Write(csv.Bytes()); err != nil {
		return "", "", 0, err
	}
	if err := mw.Close(); err != nil {
		return "", "", 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/v1/datasets", &buf)
	if err != nil {
		return "", "", 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var ds struct{ ID string }
	if err := e.send(req, token, &ds); err != nil {
		return "", "", 0, err
	}
	certID, err := benchapi.Certify(ctx, func(ctx context.Context, method, path string, body, out any) error {
		return e.call(ctx, token, method, path, body, out)
	}, ds.ID, 10*time.Minute, 200*time.Millisecond)
	if err != nil {
		return "", "", 0, err
	}
	var size int64
	err = e.owner.QueryRow(ctx, `SELECT a.size_bytes FROM certificates c JOIN artifacts a ON a.id = c.artifact_id WHERE c.id = $1`, certID).Scan(&size)
	if err != nil {
		return "", "", 0, fmt.Errorf("certified release size: %w", err)
	}
	return certID, ds.ID, size, nil
}
