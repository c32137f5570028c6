package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// pgpKeyRoutes registers a party's OpenPGP public key, which deliveries
// are encrypted to.
func (s *Server) pgpKeyRoutes(g v1Groups) {
	g.Authed.PUT("/parties/:id/pgp-key", s.putPGPKey)
	g.Authed.GET("/parties/:id/pgp-key", s.getPGPKey)
	g.Public.GET("/platform/pgp-key", s.getPlatformKey)
}

// platformKeyView is the platform's published public key: deliveries,
// certificates and signed ledger heads verify with it.
type platformKeyView struct {
	Armored     string    `json:"armored"`
	Fingerprint string    `json:"fingerprint"`
	KeyID       string    `json:"key_id"`
	UserID      string    `json:"user_id"`
	CreatedAt   time.Time `json:"created_at"`
}

// getPlatformKey answers anyone with the platform's public key, so a
// buyer checks a delivery (shujiao open-delivery --signer) and anyone a
// certificate or a signed tree head against a key fetched apart from the
// signed material itself.
func (s *Server) getPlatformKey(c *gin.Context) {
	key := s.svc.Orders.Key
	if key == nil {
		s.fail(c, market.Errorf(market.ErrNotFound, "no_platform_key", "this server has no platform key"))
		return
	}
	pub, err := key.ArmoredPublic()
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	writeJSON(c, http.StatusOK, platformKeyView{Armored: string(pub), Fingerprint: key.Fingerprint(), KeyID: key.KeyID(),
		UserID: key.UserID(), CreatedAt: key.Created().UTC()})
}

type pgpKeyRequest struct {
	Armored string `json:"armored"`
}

type pgpKeyView struct {
	market.PartyKey
	KeyID  string `json:"key_id"`
	UserID string `json:"user_id"`
}

// putPGPKey registers the party's armored public key (members of the party
// only): it must parse as an OpenPGP public key with an encryption subkey;
// a private key is refused so that it never travels to the server.
func (s *Server) putPGPKey(c *gin.Context) {
	party, err := partyParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req pgpKeyRequest
	if !s.bindJSON(c, &req) {
		return
	}
	armored := strings.TrimSpace(req.Armored)
	if strings.Contains(armored, "PRIVATE KEY BLOCK") {
		s.fail(c, market.Invalid("armored", "private_key_sent", "armored: this is a PRIVATE key; send only the public key (gpg --armor --export), and keep the private key to yourself"))
		return
	}
	key, err := pgp.ParsePublicKey(armored)
	if err != nil {
		s.fail(c, market.Invalid("armored", "invalid_pgp_key", "armored: not an OpenPGP public key that can encrypt now (want the output of gpg --armor --export, \"-----BEGIN PGP PUBLIC KEY BLOCK-----…\")"))
		return
	}
	pub, err := key.ArmoredPublic()
	if err != nil {
		s.fail(c, err)
		return
	}
	k, err := s.uc.keys.Put(c.Request.Context(), actor(c), party, string(pub), key.Fingerprint(), s.svc.Orders.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, pgpKeyView{PartyKey: k, KeyID: key.KeyID(), UserID: key.UserID()})
}

// getPGPKey answers with the party's registered key (its members and
// regulators).
func (s *Server) getPGPKey(c *gin.Context) {
	party, err := partyParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := actor(c).RequireReadParty(party); err != nil {
		s.fail(c, err)
		return
	}
	k, err := s.svc.Stores.Keys.PartyKey(c.Request.Context(), party)
	if err != nil {
		s.fail(c, err)
		return
	}
	key, err := pgp.ParsePublicKey(k.Armored)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, pgpKeyView{PartyKey: k, KeyID: key.KeyID(), UserID: key.UserID()})
}

// partyParam parses the :id path parameter as a party ID.
func partyParam(c *gin.Context) (market.PartyID, error) {
	return market.ParsePartyID("id", c.Param("id"))
}
