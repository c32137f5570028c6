package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// langCookie remembers the language chosen with ?lang=.
const langCookie = "shujiao_lang"

// reqCtx is one page request: the writer, the request, the language and
// the caller (when authenticated).
type reqCtx struct {
	w    http.ResponseWriter
	r    *http.Request
	lang string
	h    *Handler
	// who overrides the context's actor (a multipart form authenticates
	// itself, see multipartActor).
	who *market.Actor
}

func (h *Handler) newReqCtx(w http.ResponseWriter, r *http.Request) *reqCtx {
	rc := &reqCtx{w: w, r: r, lang: "zh", h: h}
	if l := r.URL.Query().Get("lang"); l == "zh" || l == "en" {
		rc.lang = l
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: Prefix, MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.deps.SecureCookies || r.TLS != nil})
	} else if c, err := r.Cookie(langCookie); err == nil && (c.Value == "zh" || c.Value == "en") {
		rc.lang = c.Value
	}
	return rc
}

// actor returns the authenticated caller.
func (rc *reqCtx) actor() (market.Actor, bool) {
	if rc.who != nil {
		return *rc.who, true
	}
	return market.ActorFromContext(rc.r.Context())
}

// errLogin asks the page to send the visitor to the login form.
var errLogin = market.Errorf(market.ErrUnauthenticated, "login_required", "log in to see this page")

// require returns the caller, or errLogin for an anonymous visitor and an
// ErrForbidden error when the caller holds none of roles (no roles: any
// authenticated caller).
func (rc *reqCtx) require(roles ...market.Role) (market.Actor, error) {
	a, ok := rc.actor()
	if !ok {
		return a, errLogin
	}
	if len(roles) > 0 {
		if err := a.RequireRole(roles...); err != nil {
			return a, err
		}
	}
	return a, nil
}

// pathID parses a path value as an ID; a malformed one names nothing (404).
func (rc *reqCtx) pathID(name string) (uuid.UUID, error) {
	id, err := uuid.Parse(rc.r.PathValue(name))
	if err != nil {
		return uuid.Nil, market.Errorf(market.ErrNotFound, "not_found", "no such %s", name)
	}
	return id, nil
}

// redirect answers 303 See Other (after a form, the browser GETs the target).
func (rc *reqCtx) redirect(to string) error {
	http.Redirect(rc.w, rc.r, to, http.StatusSeeOther)
	return nil
}

// page is what every template receives.
type page struct {
	Lang  string
	Title string
	// Path is the current URL (path and query), for the language switch.
	Path  string
	Actor *market.Actor
	// CSRF is the session's anti-forgery token, embedded in every form.
	CSRF string
	// Form holds what was typed, and Errors the problem of each field, when
	// a form is shown again after bad input.
	Form   url.Values
	Errors map[string]string
	// Notice is a one-line message at the top (after a successful action).
	Notice string
	Data   any
	// Refresh, when positive, polls the page every so many seconds (job
	// progress; static/app.js does the polling, the page links a reload).
	Refresh int
}

// Val returns what was typed in field name.
func (p *page) Val(name string) string { return p.Form.Get(name) }

// Err returns the problem of field name, or "".
func (p *page) Err(name string) string { return p.Errors[name] }

// Has reports whether the caller holds role r.
func (p *page) Has(r string) bool { return p.Actor != nil && p.Actor.Can(market.Role(r)) }

// SwitchTo returns the current URL in the other language.
func (p *page) SwitchTo(lang string) string {
	u, err := url.Parse(p.Path)
	if err != nil {
		return Prefix + "/?lang=" + lang
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

// render writes page name with status and data.
func (rc *reqCtx) render(status int, name, titleKey string, p *page) error {
	tpl := rc.h.pages[rc.lang][name]
	if tpl == nil {
		return market.Errorf(market.ErrNotFound, "page_not_found", "no template %s", name)
	}
	p.Lang = rc.lang
	p.Title = catalogues[rc.lang].get(titleKey)
	p.Path = rc.r.URL.RequestURI()
	if a, ok := rc.actor(); ok {
		p.Actor = &a
		p.CSRF = a.CSRFToken
	}
	if p.Notice == "" {
		if k := rc.r.URL.Query().Get("notice"); k != "" && catalogues[rc.lang].has("notice."+k) {
			p.Notice = catalogues[rc.lang].get("notice." + k)
		}
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, p); err != nil {
		return err
	}
	rc.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	rc.w.Header().Set("Cache-Control", "no-store")
	rc.w.Header().Set("Content-Language", map[string]string{"zh": "zh-CN", "en": "en"}[rc.lang])
	rc.w.WriteHeader(status)
	_, err := rc.w.Write(buf.Bytes())
	return err
}

// t translates key in the request's language.
func (rc *reqCtx) t(key string) string { return catalogues[rc.lang].get(key) }

// form parses a URL-encoded form (the CSRF token was checked by the API's
// middleware: without it the request arrives anonymous).
func (rc *reqCtx) form() (url.Values, error) {
	if err := rc.r.ParseForm(); err != nil {
		return nil, market.Invalid("", "invalid_form", "the form could not be read")
	}
	for k, v := range rc.r.PostForm {
		for i := range v {
			v[i] = strings.TrimSpace(v[i])
		}
		rc.r.PostForm[k] = v
	}
	return rc.r.PostForm, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// parseID parses an ID from a form or query; a malformed one names nothing.
func parseID(s, what string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, market.Errorf(market.ErrNotFound, "not_found", "no such %s", what)
	}
	return id, nil
}

// parseTypedID is parseID as the entity's ID type (market.QuoteID, …).
func parseTypedID[T ~[16]byte](s, what string) (T, error) {
	id, err := parseID(s, what)
	return T(id), err
}
