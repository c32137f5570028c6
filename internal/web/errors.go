package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/shujiao/shujiao/internal/errkind"
	"github.com/shujiao/shujiao/market"
)

// errorView is what the error page shows.
type errorView struct {
	Status  int
	Heading string
	// Message explains in the page's language; Article cites the law when a
	// rule refused.
	Message string
	Article string
	Back    string
}

// fail renders err as a page: an anonymous visitor is sent to the login
// form; a domain error shows its kind, explained in the page's language;
// anything else is "internal error" (the error itself goes to the log
// only, never to the page).
func (h *Handler) fail(rc *reqCtx, err error) {
	if errors.Is(err, market.ErrUnauthenticated) {
		if rc.r.Method == http.MethodGet {
			_ = rc.redirect(Prefix + "/login?next=" + url.QueryEscape(rc.r.URL.RequestURI()))
			return
		}
		_ = rc.redirect(Prefix + "/login?notice=session_expired")
		return
	}
	v := errorView{Status: http.StatusInternalServerError, Heading: rc.t("error.internal"), Message: rc.t("error.internal_detail"), Back: rc.r.Referer()}
	if k, ok := errkind.Of(err); ok {
		v.Status, v.Heading = k.Status, rc.t("error."+k.Name)
		v.Message, v.Article = rc.explain(err)
	}
	if v.Status >= 500 {
		h.log.Error("web: page failed", "path", rc.r.URL.Path, "error", err.Error())
	}
	if rerr := rc.render(v.Status, "error", "error.title", &page{Data: v}); rerr != nil {
		h.log.Error("web: render the error page", "path", rc.r.URL.Path, "error", rerr.Error())
		http.Error(rc.w, http.StatusText(v.Status), v.Status)
	}
}

// explain returns a sentence in the page's language for a domain error:
// its code's entry in the catalogue ("err.<code>"), else, in English, the
// domain's own message, else the kind's general explanation.
func (rc *reqCtx) explain(err error) (msg, article string) {
	var me *market.Error
	if !errors.As(err, &me) {
		if k, ok := errkind.Of(err); ok {
			return rc.t("error." + k.Name + "_detail"), ""
		}
		return rc.t("error.internal_detail"), ""
	}
	article = me.Article
	if c := catalogues[rc.lang]; c.has("err." + me.Code) {
		return c.get("err." + me.Code), article
	}
	if rc.lang == "en" && me.Message != "" {
		return me.Error(), article
	}
	if k, ok := errkind.Of(err); ok {
		return rc.t("error." + k.Name + "_detail"), article
	}
	return rc.t("error.internal_detail"), article
}

// fieldErrors turns a domain error naming a field into the form's error
// map (the message next to the field); ok is false for an error that
// names no field or is not invalid input, which the caller fails with.
func (rc *reqCtx) fieldErrors(err error) (map[string]string, bool) {
	var me *market.Error
	if !errors.As(err, &me) || !errors.Is(err, market.ErrInvalid) {
		return nil, false
	}
	msg, _ := rc.explain(err)
	field := me.Field
	if field == "" {
		field = "_form"
	}
	return map[string]string{field: msg}, true
}
