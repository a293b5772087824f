// Package model is chatferry's neutral message model: the one shape every
// importer produces and every exporter consumes.
//
// The model is plain data built on the standard library only. A conversion
// is a stream of items: a *Chat opens a chat (with its participants, kind and
// warnings already known), and the *Message values that follow belong to it,
// in source order, until the next *Chat. Nothing in the model requires the
// whole history to be in memory.
//
// Identifiers (ChatID, ParticipantID, MessageID) are opaque strings that are
// unique within one import; exporters must not parse them. Times are
// Timestamps, which know whether they are floating (a wall-clock reading with
// no zone, as in WhatsApp's text export) or zoned, and how precise they are.
// Every message keeps the position in the input it came from, so errors and
// reports can point at a file and line.
package model
