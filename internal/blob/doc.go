// Package blob is Shujiao's content-addressed file store for datasets and
// released artifacts. A blob is named by the SHA-256 of its plaintext and
// kept under <data-dir>/blobs, encrypted at rest with AES-256-GCM under a
// key kept in <data-dir>/keys/blob.key (created on first use, mode 0600).
//
// Writes stream into a temporary file beside the store and are renamed into
// place only when complete, so a failed or interrupted write leaves nothing
// behind. Reads decrypt as they stream and check the plaintext's SHA-256 at
// the end: a flipped, truncated or swapped byte is an error, never data.
//
// The on-disk format is a 4-byte magic "SJB1", a 32-byte random salt, then
// the plaintext in 64 KiB segments, each sealed by AES-256-GCM under a key
// derived from the store key and the salt (HKDF-SHA256), with a nonce made
// of the segment counter and a final-segment flag (the STREAM construction
// of Hoang, Reyhanitabar, Rogaway and Vizár), so segments can be neither
// reordered nor dropped nor the file cut short.
package blob
