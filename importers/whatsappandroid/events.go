package whatsappandroid

import (
	"fmt"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// Message types: message.message_type in the modern schema,
// messages.media_wa_type in the legacy one.
const (
	typeText           = 0
	typeImage          = 1
	typeAudio          = 2
	typeVideo          = 3
	typeContact        = 4
	typeLocation       = 5
	typeSystem         = 7
	typeLegacyCall     = 8
	typeDocument       = 9
	typeMissedCall     = 10
	typeWaiting        = 11
	typeGIF            = 13
	typeContactArray   = 14
	typeDeleted        = 15
	typeLiveLocation   = 16
	typeSticker        = 20
	typeDisappearing   = 36
	typeViewOncePhoto  = 42
	typeViewOnceVideo  = 43
	typeViewOnceVoice  = 82
	typeVideoCallEntry = 90
	typeAlbum          = 99
)

// hasMedia reports whether messages of a type carry a file.
func hasMedia(t int) bool {
	switch t {
	case typeImage, typeAudio, typeVideo, typeDocument, typeGIF, typeSticker:
		return true
	}
	return false
}

// systemEvent describes a system message: its event and its wording.
// WhatsApp's database stores codes, not sentences, so the wording is
// chatferry's, in the style of WhatsApp's own.
type systemEvent struct {
	action  int                   // message_system.action_type
	actor   model.ParticipantID   // who did it
	targets []model.ParticipantID // whom it concerns
	text    string                // text_data: a subject, a description
	blocked bool                  // for action 58
}

func (e systemEvent) build(names func(model.ParticipantID) string) (*model.Event, string) {
	actor := names(e.actor)
	if e.actor == "" {
		actor = "Someone"
	}
	var who []string
	for _, t := range e.targets {
		who = append(who, names(t))
	}
	targets := strings.Join(who, ", ")
	if targets == "" {
		targets = "someone"
	}
	ev := &model.Event{Type: model.EventOther, Actor: e.actor, Targets: e.targets}
	var text string
	switch e.action {
	case 1:
		ev.Type, ev.Subject = model.EventSubjectChanged, e.text
		text = fmt.Sprintf("%s changed the subject to \"%s\"", actor, e.text)
	case 4, 12:
		ev.Type = model.EventMemberAdded
		text = fmt.Sprintf("%s added %s", actor, targets)
		if len(e.targets) == 0 {
			text = actor + " was added"
		}
	case 5:
		ev.Type = model.EventMemberLeft
		if len(e.targets) > 0 && e.actor == "" {
			actor = targets
		}
		text = actor + " left"
	case 6:
		ev.Type = model.EventIconChanged
		text = actor + " changed this group's icon"
	case 7, 14:
		ev.Type = model.EventMemberRemoved
		text = fmt.Sprintf("%s removed %s", actor, targets)
	case 9:
		text = actor + " created a broadcast list"
	case 10, 28:
		ev.Type = model.EventNumberChanged
		text = actor + " changed their phone number"
	case 11:
		ev.Type, ev.Subject = model.EventGroupCreated, e.text
		text = fmt.Sprintf("%s created group \"%s\"", actor, e.text)
	case 18, 57:
		ev.Type = model.EventSecurityCode
		text = fmt.Sprintf("Your security code with %s changed", actor)
	case 19:
		ev.Type, ev.Actor = model.EventEncryption, ""
		text = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
	case 20:
		ev.Type = model.EventMemberJoined
		if len(e.targets) > 0 {
			actor = targets
		}
		text = actor + " joined using this group's invite link"
	case 27:
		ev.Type = model.EventDescriptionChanged
		text = actor + " changed the group description"
	case 56, 59:
		ev.Type = model.EventDisappearing
		text = actor + " changed the disappearing messages setting"
		if e.action == 59 {
			text = actor + " turned off disappearing messages"
		}
	case 58:
		ev.Type = model.EventBlocked
		text = "You unblocked this contact"
		if e.blocked {
			text = "You blocked this contact"
		}
	case 92:
		ev.Type = model.EventSettingsChanged
		text = actor + " changed this group's settings to allow only admins to add others to this group"
	case -typeDisappearing:
		ev.Type = model.EventDisappearing
		text = actor + " turned on disappearing messages"
	default:
		text = fmt.Sprintf("System message (WhatsApp action %d)", e.action)
		if e.text != "" {
			text += ": " + e.text
		}
	}
	return ev, text
}

// callText words a call record as WhatsApp shows it.
func callText(c *model.Call) string {
	kind := "Voice call"
	if c.Video {
		kind = "Video call"
	}
	if c.Missed {
		return "Missed " + strings.ToLower(kind[:1]) + kind[1:]
	}
	return kind
}
