package model

import (
	"strings"
	"time"
)

// MessageKind says what a message is. A message with a sender is never
// KindSystem; a system event never has a sender.
type MessageKind string

// The message kinds.
const (
	KindText     MessageKind = "text"      // text, possibly empty
	KindMedia    MessageKind = "media"     // one or more attachments, text is the caption
	KindSticker  MessageKind = "sticker"   // a sticker attachment
	KindDeleted  MessageKind = "deleted"   // deleted for everyone; Text keeps the source's wording
	KindViewOnce MessageKind = "view_once" // view-once media that the source no longer has
	KindCall     MessageKind = "call"      // a voice or video call, see Call
	KindPoll     MessageKind = "poll"      // see Poll
	KindLocation MessageKind = "location"  // see Location
	KindContact  MessageKind = "contact"   // shared contact cards, see Contacts
	KindSystem   MessageKind = "system"    // an event WhatsApp wrote, see Event
)

// Kinds lists every message kind, in the order documentation shows them.
var Kinds = []MessageKind{KindText, KindMedia, KindSticker, KindDeleted, KindViewOnce,
	KindCall, KindPoll, KindLocation, KindContact, KindSystem}

// Valid reports whether k is one of Kinds.
func (k MessageKind) Valid() bool {
	for _, v := range Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Message is one message or system event.
type Message struct {
	ID     MessageID
	Time   Timestamp
	Sender ParticipantID // empty exactly when Kind is KindSystem
	Kind   MessageKind

	// Text is the body as written: lines joined with "\n". For special
	// kinds it keeps the source's wording ("This message was deleted").
	Text string

	Attachments []Attachment

	ReplyTo   MessageID // the message this one answers, when known
	Quote     *Quote    // what the source showed of the answered message
	Reactions []Reaction

	Edited    bool      // the source marks the message as edited
	EditedAt  Timestamp // when, if the source says
	Forwarded bool

	Poll     *Poll
	Location *Location
	Contacts []Contact
	Call     *Call
	Event    *Event // set for KindSystem

	// Source is where the message came from in the input.
	Source Pos
}

// MediaKind classifies an attachment.
type MediaKind string

// The media kinds.
const (
	MediaImage    MediaKind = "image"
	MediaVideo    MediaKind = "video"
	MediaAudio    MediaKind = "audio"
	MediaVoice    MediaKind = "voice" // a recorded voice note
	MediaSticker  MediaKind = "sticker"
	MediaGIF      MediaKind = "gif"
	MediaDocument MediaKind = "document"
	MediaContact  MediaKind = "contact" // a vCard file
	MediaUnknown  MediaKind = ""
)

// MediaKindOfMIME classifies a file by its MIME type alone: an image, a
// video or audio by the type's first part, any other type a document,
// and no type unknown.
func MediaKindOfMIME(mime string) MediaKind {
	switch {
	case mime == "":
		return MediaUnknown
	case strings.HasPrefix(mime, "image/"):
		return MediaImage
	case strings.HasPrefix(mime, "video/"):
		return MediaVideo
	case strings.HasPrefix(mime, "audio/"):
		return MediaAudio
	}
	return MediaDocument
}

// Attachment is a file attached to a message. Path is set when the input
// holds the file (resolve it in Chat.Media); Omitted when the export left
// it out on purpose; Missing when the text names a file the input lacks.
type Attachment struct {
	Name     string // file name as the source names it
	Kind     MediaKind
	MIME     string
	Size     int64 // bytes, 0 when unknown
	Path     string
	Omitted  bool
	Missing  bool
	Width    int
	Height   int
	Duration time.Duration
}

// Quote is what a reply showed of the message it answers.
type Quote struct {
	Sender ParticipantID
	Text   string
}

// Reaction is an emoji reaction to a message.
type Reaction struct {
	Emoji  string
	Sender ParticipantID
	Time   Timestamp // zero when unknown
}

// Poll is a poll message. Votes counts what the source reports even when
// the voters are unknown.
type Poll struct {
	Question string
	Multiple bool // more than one option may be chosen
	Options  []PollOption
}

// PollOption is one answer of a poll.
type PollOption struct {
	Text   string
	Votes  int
	Voters []ParticipantID
}

// Location is a shared place or position. Latitude and Longitude are both
// 0 when the source gives no coordinates (a place shared by its name and
// a link only); no place anyone shares lies at exactly 0, 0, so outputs
// take that for "unknown" (see HasCoordinates), never for a position.
type Location struct {
	Latitude  float64
	Longitude float64
	Name      string
	Address   string
	URL       string
	Live      bool
}

// HasCoordinates reports whether the location gives a position.
func (l *Location) HasCoordinates() bool { return l.Latitude != 0 || l.Longitude != 0 }

// Contact is a shared contact card.
type Contact struct {
	Name   string
	Phones []string
	VCard  string // the raw card, when the source has it
}

// Call is a voice or video call record.
type Call struct {
	Video    bool
	Missed   bool
	Duration time.Duration
}

// EventType classifies a system event.
type EventType string

// The system event types. EventOther covers every event chatferry keeps
// but does not classify; its wording is always kept in Message.Text.
const (
	EventEncryption         EventType = "encryption_notice"
	EventGroupCreated       EventType = "group_created"
	EventMemberAdded        EventType = "member_added"
	EventMemberRemoved      EventType = "member_removed"
	EventMemberLeft         EventType = "member_left"
	EventMemberJoined       EventType = "member_joined" // by invite link
	EventSubjectChanged     EventType = "subject_changed"
	EventDescriptionChanged EventType = "description_changed"
	EventIconChanged        EventType = "icon_changed"
	EventSecurityCode       EventType = "security_code_changed"
	EventNumberChanged      EventType = "number_changed"
	EventAdminChanged       EventType = "admin_changed"
	EventSettingsChanged    EventType = "settings_changed"
	EventDisappearing       EventType = "disappearing_messages"
	EventBlocked            EventType = "blocked"
	EventCall               EventType = "call"
	EventOther              EventType = "other"
)

// EventTypes lists every event type.
var EventTypes = []EventType{EventEncryption, EventGroupCreated, EventMemberAdded,
	EventMemberRemoved, EventMemberLeft, EventMemberJoined, EventSubjectChanged,
	EventDescriptionChanged, EventIconChanged, EventSecurityCode, EventNumberChanged,
	EventAdminChanged, EventSettingsChanged, EventDisappearing, EventBlocked, EventCall, EventOther}

// Valid reports whether t is one of EventTypes.
func (t EventType) Valid() bool {
	for _, v := range EventTypes {
		if v == t {
			return true
		}
	}
	return false
}

// Event describes a system event. Actor and Targets are participant ids
// when the source names them and they are participants of the chat (the
// wording in Message.Text always keeps the names as written). Subject is
// the new group subject for EventSubjectChanged and the group name for
// EventGroupCreated.
type Event struct {
	Type    EventType
	Actor   ParticipantID
	Targets []ParticipantID
	Subject string
}
