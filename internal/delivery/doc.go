// Package delivery seals an order's delivery and hands it to the buyer:
// the content the order paid for (select.go: the whole certified release
// for a licence or months of access, the first N rows of it for an order
// of N rows, with content.json recording the choice), its
// de-identification certificate, the
// certificate's signature and the platform's public key in a tar archive,
// encrypted to the buyer's registered OpenPGP key and signed by the
// platform key, kept in the blob store; and the expiring download links
// that only the buyer's party can open. The HTTP API, the web pages and
// background work call the same Service; storage is reached through Store,
// which internal/postgres implements.
package delivery
