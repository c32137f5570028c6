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
	"github.com/shujiao/shujiao/market"
)

// world is the seeded market: one certified listing and the buyers' tokens.
type world struct {
	e       *env
	listing string
	buyers  []string
	full    bool // each flow also fetches the delivery link and downloads
}

// user registers an organization with one user holding role and returns
// an API token; n makes its credit code and email unique.
func (e *env) user(ctx context.Context, n int, role market.Role) (string, error) {
	body := fmt.Sprintf("9161013100%07d", n)
	email := fmt.Sprintf("user%d@loadbench.test", n)
	p := market.Party{Kind: market.PartyOrganization, Type: market.PartyParticipant, Name: fmt.Sprintf("压测公司 %d", n),
		Jurisdiction: "61", CreditCode: body + string(anonymizer.USCCCheckChar(body))}
	party, _, err := e.accounts.Seed(ctx, market.Registration{Party: p,
		User: market.NewUser{Email: email, Name: p.Name, Password: "load benchmark password"}, Roles: []market.Role{role}})
	if err != nil {
		return "", err
	}
	_, a, err := e.accounts.Login(ctx, email, "load benchmark password", party.ID)
	if err != nil {
		return "", err
	}
	_, secret, err := e.accounts.CreateToken(ctx, a, "loadbench", 24*time.Hour)
	return secret, err
}

// call sends one JSON request and decodes a 2xx answer into out.
func (e *env) call(ctx context.Context, token, method, path string, body, out any, header ...string) error {
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
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.send(req, token, out)
}

func (e *env) send(req *http.Request, token string, out any) error {
	return benchapi.Send(e.client, req, token, out)
}

// seed makes the seller's certified listing with a plan of 10.00 per
// licence, and clients buyers each funded and with an OpenPGP key.
func seed(ctx context.Context, e *env, clients, rows int) (*world, error) {
	seller, err := e.user(ctx, 1, market.RoleSeller)
	if err != nil {
		return nil, err
	}
	cert, ds, err := e.certifiedDataset(ctx, seller, rows)
	if err != nil {
		return nil, err
	}
	decl := map[string]any{"title": "压测出行数据集", "description": "load benchmark", "category": "transport", "product_type": "dataset",
		"dataset_id": ds, "certificate_id": cert, "contains_personal_info": true, "contains_sensitive_personal_info": true,
		"contains_minors_data": false, "classification": "general", "security_assessment_ref": nil, "export_intended": false,
		"state_secret": false, "price": "10.00", "sources": []any{map[string]any{"origin": "self_collected", "own_data": true,
			"disclosure": "non_public", "authorization": nil, "government": nil,
			"collection": map[string]any{"basis": "consent_record", "reference": "压测同意记录", "notice_ref": "压测告知 v1"}}}}
	var l struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	if err := e.call(ctx, seller, http.MethodPost, "/v1/listings", decl, &l); err != nil {
		return nil, err
	}
	if err := e.call(ctx, seller, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l); err != nil || l.State != "listed" {
		return nil, fmt.Errorf("submit listing: state %q: %w", l.State, err)
	}
	if err := e.call(ctx, seller, http.MethodPut, "/v1/listings/"+l.ID+"/price-plan",
		map[string]any{"unit": "licence", "base_price": "10.00"}, nil); err != nil {
		return nil, err
	}
	buyerKey, err := pgpPublic(e)
	if err != nil {
		return nil, err
	}
	w := &world{e: e, listing: l.ID}
	for i := range clients {
		tok, err := e.user(ctx, 100+i, market.RoleBuyer)
		if err != nil {
			return nil, err
		}
		var me struct {
			Party struct {
				ID string `json:"id"`
			} `json:"party"`
		}
		if err := e.call(ctx, tok, http.MethodGet, "/v1/me", nil, &me); err != nil {
			return nil, err
		}
		if err := e.call(ctx, tok, http.MethodPost, "/v1/accounts/deposits",
			map[string]any{"amount": "100000000.00", "reference": "LOAD-" + uuid.NewString()}, nil); err != nil {
			return nil, err
		}
		if err := e.call(ctx, tok, http.MethodPut, "/v1/parties/"+me.Party.ID+"/pgp-key", map[string]any{"armored": buyerKey}, nil); err != nil {
			return nil, err
		}
		w.buyers = append(w.buyers, tok)
	}
	return w, nil
}

// pgpPublic returns the armored public key every simulated buyer registers.
func pgpPublic(e *env) (string, error) {
	k, err := generateBuyerKey()
	if err != nil {
		return "", err
	}
	b, err := k.ArmoredPublic()
	return string(b), err
}

// certifiedDataset uploads a synthetic table and de-identifies it through
// the API; it returns the certificate and dataset ids.
func (e *env) certifiedDataset(ctx context.Context, token string, rows int) (string, string, error) {
	var csv bytes.Buffer
	if err := anonymizer.Synthesize(&csv, rows, 7, anonymizer.FormatCSV); err != nil {
		return "", "", err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "people.csv")
	if err != nil {
		return "", "", err
	}
	fw.Write(csv.Bytes())
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/v1/datasets", &buf)
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var ds struct{ ID string }
	if err := e.send(req, token, &ds); err != nil {
		return "", "", err
	}
	certID, err := benchapi.Certify(ctx, func(ctx context.Context, method, path string, body, out any) error {
		return e.call(ctx, token, method, path, body, out)
	}, ds.ID, 3*time.Minute, 100*time.Millisecond)
	if err != nil {
		return "", "", err
	}
	return certID, ds.ID, nil
}
