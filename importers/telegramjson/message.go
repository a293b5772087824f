package telegramjson

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// tgMessage holds the keys of a Telegram message that chatferry reads.
type tgMessage struct {
	ID            json.Number     `json:"id"`
	Type          string          `json:"type"`
	Date          string          `json:"date"`
	DateUnix      json.Number     `json:"date_unixtime"`
	Edited        string          `json:"edited"`
	EditedUnix    json.Number     `json:"edited_unixtime"`
	From          *string         `json:"from"`
	FromID        json.RawMessage `json:"from_id"`
	Actor         *string         `json:"actor"`
	ActorID       json.RawMessage `json:"actor_id"`
	Action        string          `json:"action"`
	Title         string          `json:"title"`
	Members       []*string       `json:"members"`
	Text          json.RawMessage `json:"text"`
	TextEntities  []textPart      `json:"text_entities"`
	ReplyTo       json.Number     `json:"reply_to_message_id"`
	ReplyToPeer   json.RawMessage `json:"reply_to_peer_id"`
	ForwardedFrom json.RawMessage `json:"forwarded_from"`
	SavedFrom     json.RawMessage `json:"saved_from"`

	Photo         string `json:"photo"`
	File          string `json:"file"`
	FileName      string `json:"file_name"`
	FileSize      int64  `json:"file_size"`
	PhotoFileSize int64  `json:"photo_file_size"`
	MediaType     string `json:"media_type"`
	MimeType      string `json:"mime_type"`
	Duration      int64  `json:"duration_seconds"`
	Width         int    `json:"width"`
	Height        int    `json:"height"`

	ContactInformation *struct {
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
		PhoneNumber string `json:"phone_number"`
	} `json:"contact_information"`
	ContactVcard string `json:"contact_vcard"`

	LocationInformation *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	} `json:"location_information"`
	LivePeriod *int64 `json:"live_location_period_seconds"`
	PlaceName  string `json:"place_name"`
	Address    string `json:"address"`

	Poll *struct {
		Question json.RawMessage `json:"question"`
		Answers  []struct {
			Text   json.RawMessage `json:"text"`
			Voters int             `json:"voters"`
		} `json:"answers"`
	} `json:"poll"`

	Reactions []struct {
		Type   string `json:"type"`
		Count  int    `json:"count"`
		Emoji  string `json:"emoji"`
		Recent []struct {
			From   *string         `json:"from"`
			FromID json.RawMessage `json:"from_id"`
			Date   string          `json:"date"`
		} `json:"recent"`
	} `json:"reactions"`

	InformationText string `json:"information_text"`
	DiscardReason   string `json:"discard_reason"`
}

// textPart is one part of a text: a plain string or an entity.
type textPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func (p *textPart) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		p.Type = "plain"
		return json.Unmarshal(b, &p.Text)
	}
	type plain textPart
	return json.Unmarshal(b, (*plain)(p))
}

// text returns the message text: the concatenated text_entities, or the
// "text" value (a string or an array of strings and entities).
func (m *tgMessage) text() string {
	if m.TextEntities != nil {
		var b strings.Builder
		for _, p := range m.TextEntities {
			b.WriteString(p.Text)
		}
		return b.String()
	}
	return richText(m.Text)
}

// richText reads Telegram's text value: a string, or an array of strings
// and {type, text} objects.
func richText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == 'n' {
		return ""
	}
	if raw[0] == '"' {
		var s string
		json.Unmarshal(raw, &s)
		return s
	}
	var parts []textPart
	if json.Unmarshal(raw, &parts) != nil {
		return ""
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// peerID reads a from_id: "user123", "channel123", or (before 2021) a
// bare number, which is a user.
func peerID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] == 'n' {
		return ""
	}
	if raw[0] == '"' {
		var s string
		json.Unmarshal(raw, &s)
		return s
	}
	if _, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return "user" + string(raw)
	}
	return ""
}

func present(raw json.RawMessage) bool { return len(raw) > 0 }

// skipped reports a media path that says Telegram left the file out:
// "(File not included. …)", "(File unavailable, …)", "(File exceeds …)",
// or the same for photos.
func skipped(p string) bool {
	return strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") ||
		strings.Contains(p, "(File ") || strings.Contains(p, "(Photo ")
}

// stamp returns a message time: the instant of the unix time shown in the
// zone its "date" was written in, or, for exports before 2021 that have
// only "date", the floating wall-clock reading.
func stamp(date string, unix json.Number) (model.Timestamp, bool) {
	wall, werr := time.Parse("2006-01-02T15:04:05", date)
	if unix != "" {
		u, err := strconv.ParseInt(string(unix), 10, 64)
		if err != nil {
			return model.Timestamp{}, false
		}
		if u > 1e11 || u < -1e11 { // milliseconds
			u /= 1000
		}
		t := time.Unix(u, 0).UTC()
		if werr == nil {
			off := wall.Sub(t)
			if off%(15*time.Minute) == 0 && off >= -14*time.Hour && off <= 14*time.Hour {
				t = t.In(time.FixedZone("", int(off/time.Second)))
			}
		}
		return model.Zoned(t, model.PrecisionSecond), true
	}
	if werr != nil {
		return model.Timestamp{}, false
	}
	return model.Floating(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0,
		model.PrecisionSecond), true
}
