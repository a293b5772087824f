package model

// Feature is something a message can carry that an output format may or
// may not be able to represent. Exporters declare their support per
// feature; a conversion counts what was kept partly or dropped.
type Feature string

// The features, by the field of Message that carries them.
const (
	FeatureText        Feature = "text"
	FeatureSystem      Feature = "system events"
	FeatureAttachments Feature = "attachments"      // references to files, omitted or present
	FeatureMediaFiles  Feature = "media files"      // the attached files' contents
	FeatureStickers    Feature = "stickers"         //
	FeatureReplies     Feature = "replies"          // ReplyTo and Quote
	FeatureReactions   Feature = "reactions"        //
	FeatureEdits       Feature = "edits"            // Edited, EditedAt
	FeatureDeletions   Feature = "deleted messages" //
	FeatureViewOnce    Feature = "view-once messages"
	FeatureForwarded   Feature = "forwarded marks"
	FeaturePolls       Feature = "polls"
	FeatureLocations   Feature = "locations"
	FeatureContacts    Feature = "contact cards"
	FeatureCalls       Feature = "calls"
)

// Singular names one use of the feature ("reply" for "replies").
func (f Feature) Singular() string {
	if s, ok := featureSingular[f]; ok {
		return s
	}
	return string(f)
}

var featureSingular = map[Feature]string{
	FeatureSystem: "system event", FeatureAttachments: "attachment", FeatureMediaFiles: "media file",
	FeatureStickers: "sticker", FeatureReplies: "reply", FeatureReactions: "reaction", FeatureEdits: "edit",
	FeatureDeletions: "deleted message", FeatureViewOnce: "view-once message", FeatureForwarded: "forwarded mark",
	FeaturePolls: "poll", FeatureLocations: "location", FeatureContacts: "contact card", FeatureCalls: "call",
}

// Features lists every feature in a stable order.
var Features = []Feature{FeatureText, FeatureSystem, FeatureAttachments, FeatureMediaFiles,
	FeatureStickers, FeatureReplies, FeatureReactions, FeatureEdits, FeatureDeletions,
	FeatureViewOnce, FeatureForwarded, FeaturePolls, FeatureLocations, FeatureContacts, FeatureCalls}

// AppendFeatures appends to dst one entry per use of a feature in m and
// returns the extended slice: a message with three reactions appends
// FeatureReactions three times, so callers can count losses by item.
func (m *Message) AppendFeatures(dst []Feature) []Feature {
	switch m.Kind {
	case KindSystem:
		dst = append(dst, FeatureSystem)
	case KindSticker:
		dst = append(dst, FeatureStickers)
	case KindDeleted:
		dst = append(dst, FeatureDeletions)
	case KindViewOnce:
		dst = append(dst, FeatureViewOnce)
	case KindPoll:
		dst = append(dst, FeaturePolls)
	case KindLocation:
		dst = append(dst, FeatureLocations)
	case KindContact:
		dst = append(dst, FeatureContacts)
	case KindCall:
		dst = append(dst, FeatureCalls)
	}
	for _, a := range m.Attachments {
		dst = append(dst, FeatureAttachments)
		if a.Path != "" {
			dst = append(dst, FeatureMediaFiles)
		}
	}
	if m.ReplyTo != "" || m.Quote != nil {
		dst = append(dst, FeatureReplies)
	}
	for range m.Reactions {
		dst = append(dst, FeatureReactions)
	}
	if m.Edited {
		dst = append(dst, FeatureEdits)
	}
	if m.Forwarded {
		dst = append(dst, FeatureForwarded)
	}
	return dst
}
