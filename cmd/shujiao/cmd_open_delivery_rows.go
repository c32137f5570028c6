package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// deliveryContent is the archive file that records the rows an order
// delivered when it is not the whole release (internal/delivery writes
// it: market.DeliveredContent).
const deliveryContent = "content.json"

// checkRowsDelivery checks a delivery of rows chosen from the certified
// release (issue 16): content.json, inside the platform-signed message,
// must name the release the certificate certifies (release_sha256) and
// the delivered file, whose SHA-256 must be its content_sha256. It
// returns the record, or an error naming what does not agree.
func checkRowsDelivery(dir string, files []string, cert *anonymizer.Certificate) (market.DeliveredContent, error) {
	var c market.DeliveredContent
	b, err := os.ReadFile(filepath.Join(dir, deliveryContent))
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: %w", deliveryContent, err)
	}
	if c.RowsDelivered == nil || c.Selection == market.SelectWholeRelease {
		return c, fmt.Errorf("%s records no rows chosen from the release", deliveryContent)
	}
	if c.ReleaseSHA256 != cert.Release.SHA256 {
		return c, fmt.Errorf("%s names release %s, and the certificate certifies %s: the rows were not chosen from the certified release", deliveryContent, c.ReleaseSHA256, cert.Release.SHA256)
	}
	if c.File == "" || filepath.Base(c.File) != c.File || !slices.Contains(files, c.File) || isDeliveryMeta(c.File) {
		return c, fmt.Errorf("the archive lacks the delivered file %q that %s names", c.File, deliveryContent)
	}
	f, err := os.Open(filepath.Join(dir, c.File))
	if err != nil {
		return c, err
	}
	defer f.Close()
	d, err := anonymizer.DigestReader(c.File, f)
	if err != nil {
		return c, err
	}
	if d.SHA256 != c.SHA256 {
		return c, fmt.Errorf("%s is not the delivered content: its SHA-256 %s differs from %s's %s", c.File, d.SHA256, deliveryContent, c.SHA256)
	}
	return c, nil
}
