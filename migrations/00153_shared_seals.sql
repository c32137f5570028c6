-- Seal once where the copy is the same (issue 18): when deliveries are not
-- fingerprinted, every buyer of a certified release receives the same
-- archive. It is encrypted once (the shared body of an OpenPGP message, in
-- the blob store) with a session key kept only as a session key packet to
-- the platform key; each buyer's delivery holds a session key packet of
-- its own, and their message is that packet followed by the shared body.

-- +goose Up
CREATE TABLE shared_seals (
    certificate_id uuid NOT NULL REFERENCES certificates (id),
    release_sha256 text NOT NULL,
    signer_fpr     text NOT NULL,
    blob_sha256    text NOT NULL,
    size_bytes     bigint NOT NULL CHECK (size_bytes >= 0),
    -- the session key, encrypted to the platform key (a PKESK packet)
    session_packet bytea NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (certificate_id, release_sha256, signer_fpr)
);
-- a shared seal is written once and never changed by the server
REVOKE ALL ON shared_seals FROM shujiao_app;
GRANT SELECT, INSERT ON shared_seals TO shujiao_app;
-- the buyer's session key packet of a shared delivery (NULL: blob_sha256
-- is the buyer's whole message, sealed for them alone)
ALTER TABLE deliveries ADD COLUMN session_packet bytea;

-- +goose Down
ALTER TABLE deliveries DROP COLUMN session_packet;
DROP TABLE shared_seals;
