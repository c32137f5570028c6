// Package web serves Shujiao's server-rendered pages under /ui/: the
// catalog for everyone logged in, a seller's datasets, de-identification
// jobs, listings and correction orders, a buyer's quotes and orders, and a
// regulator's flag queue, cases, penalties and ledger proofs.
//
// Pages are html/template documents with their assets embedded (go:embed);
// there is no JavaScript build step, and every page reads and works without
// JavaScript (a little script only draws the upload progress bar). The
// handlers call the same services and storage ports as the JSON API in
// internal/httpapi (market.Orders, market.Listings, market.Quotes,
// market.Cases, internal/delivery, market.Stores, never
// internal/postgres and never the API in-process), with the same
// authorization and the same error table (internal/errkind): the caller is the
// market.Actor the API's middleware put on the request (Server.Mount), and
// every store call takes it.
//
// Pages are in Chinese by default and in English with ?lang=en (remembered
// in a cookie); the two catalogues (i18n_zh*.go and i18n_en*.go, one file
// per area) hold the same keys, so that no page mixes the two languages.
package web
