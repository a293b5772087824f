package whatsappios

import (
	"fmt"
	"strings"

	"github.com/chatferry/chatferry/model"
)

// Group events: ZMESSAGETYPE 6 with ZGROUPEVENTTYPE. The database keeps no
// wording, so chatferry writes its own, in English, from the event and the
// names of the people it concerns.
const (
	groupRenamed     = 1
	groupJoined      = 2
	groupLeft        = 3
	groupIconChanged = 4
	groupIconDeleted = 5
	groupRemoved     = 7
	groupAdmin       = 10
	groupCreated     = 12
	groupAddedMany   = 50
)

func knownGroupEvent(e int64) bool {
	switch e {
	case groupRenamed, groupJoined, groupLeft, groupIconChanged, groupIconDeleted, groupRemoved,
		groupAdmin, groupCreated, groupAddedMany:
		return true
	}
	return false
}

// Notices: ZMESSAGETYPE 10 with ZGROUPEVENTTYPE.
const (
	noticeMissedVoice      = 1
	noticeEncrypted        = 2
	noticeSecurityCode     = 3
	noticeMissedVideo      = 4
	noticeMissedGroupVideo = 22
	noticeBusiness         = 26
	noticeNoLongerBusiness = 30
	noticeBlocked          = 34
	noticeUnblocked        = 35
	noticeGroupCall        = 40
	noticeGroupVideoCall   = 41
)

func knownNotice(e int64) bool {
	switch e {
	case noticeMissedVoice, noticeEncrypted, noticeSecurityCode, noticeMissedVideo, noticeMissedGroupVideo,
		noticeBusiness, noticeNoLongerBusiness, noticeBlocked, noticeUnblocked, noticeGroupCall, noticeGroupVideoCall:
		return true
	}
	return false
}

// groupEvent converts a group event. The row's member is the person the
// event is about; the owner when ZISFROMME is set.
func (r *reader) groupEvent(cs *chatState, w *row, m *model.Message) {
	m.Kind = model.KindSystem
	ev := &model.Event{}
	m.Event = ev
	subject := r.pid(cs, w.memberJID)
	if w.fromMe {
		subject = meID
	}
	named := r.textJIDs(cs, w.text)
	who := cs.name(subject)
	switch w.event {
	case groupRenamed:
		name, author, ok := parseSubjectJSON(w.text)
		if !ok {
			name = w.text
		}
		if id := r.pid(cs, author); id != "" && !w.fromMe {
			subject, who = id, cs.name(id)
		}
		ev.Type, ev.Actor, ev.Subject = model.EventSubjectChanged, subject, name
		m.Text = fmt.Sprintf("%s changed the group name to \"%s\"", who, name)
	case groupCreated:
		ev.Type, ev.Actor = model.EventGroupCreated, subject
		if len(named) == 0 && !isNumber(w.text) {
			ev.Subject = w.text
		}
		m.Text = fmt.Sprintf("%s created the group", who)
		if ev.Subject != "" {
			m.Text = fmt.Sprintf("%s created group \"%s\"", who, ev.Subject)
		}
	case groupJoined, groupAddedMany:
		if len(named) == 0 {
			ev.Type, ev.Targets = model.EventMemberJoined, ids(subject)
			m.Text = who + " joined"
			break
		}
		ev.Type, ev.Targets = model.EventMemberAdded, named
		if subject != "" && !(len(named) == 1 && named[0] == subject) {
			ev.Actor = subject
			m.Text = fmt.Sprintf("%s added %s", who, cs.nameList(named))
		} else {
			m.Text = cs.nameList(named) + " joined"
		}
	case groupLeft:
		ev.Type, ev.Actor = model.EventMemberLeft, subject
		m.Text = who + " left"
	case groupRemoved:
		ev.Type, ev.Targets = model.EventMemberRemoved, ids(subject)
		if len(named) == 1 && named[0] != subject {
			ev.Actor = named[0]
			m.Text = fmt.Sprintf("%s removed %s", cs.name(named[0]), who)
		} else {
			m.Text = who + " was removed"
		}
	case groupIconChanged:
		ev.Type, ev.Actor = model.EventIconChanged, subject
		m.Text = who + " changed the group icon"
	case groupIconDeleted:
		ev.Type, ev.Actor = model.EventIconChanged, subject
		m.Text = who + " deleted the group icon"
	case groupAdmin:
		ev.Type, ev.Targets = model.EventAdminChanged, ids(subject)
		m.Text = who + " is now an admin"
		if subject == meID {
			m.Text = "You're now an admin"
		}
	default:
		ev.Type, ev.Actor = model.EventOther, subject
		m.Text = fmt.Sprintf("Group event %d", w.event)
		if subject != "" {
			m.Text += " (" + who + ")"
		}
		if w.text != "" {
			m.Text += ": " + w.text
		}
	}
}

// textJIDs returns the participants a group event's ZTEXT names.
func (r *reader) textJIDs(cs *chatState, text string) []model.ParticipantID {
	if !strings.Contains(text, "@") {
		return nil
	}
	if _, _, ok := parseSubjectJSON(text); ok {
		return nil
	}
	var out []model.ParticipantID
	for _, jid := range eventJIDs(text) {
		if id := r.pid(cs, jid); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func ids(id model.ParticipantID) []model.ParticipantID {
	if id == "" {
		return nil
	}
	return []model.ParticipantID{id}
}

// nameList joins the names of participants: "A", "A and B", "A, B and C".
func (cs *chatState) nameList(list []model.ParticipantID) string {
	var n []string
	for _, id := range list {
		n = append(n, cs.name(id))
	}
	if len(n) < 2 {
		return strings.Join(n, "")
	}
	return strings.Join(n[:len(n)-1], ", ") + " and " + n[len(n)-1]
}

func isNumber(s string) bool {
	return s != "" && onlyDigits(s) == s
}

// notice converts a notice (type 10): the encryption notice, missed calls,
// security code changes, blocks and business notices.
func (r *reader) notice(cs *chatState, w *row, m *model.Message, sender model.ParticipantID) {
	m.Kind = model.KindSystem
	ev := &model.Event{}
	m.Event = ev
	person := r.pid(cs, w.memberJID)
	if person == "" && !cs.s.group {
		person = cs.partner
	}
	switch w.event {
	case noticeEncrypted:
		ev.Type = model.EventEncryption
		m.Text = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
	case noticeMissedVoice, noticeMissedVideo:
		video := w.event == noticeMissedVideo
		what := "voice call"
		if video {
			what = "video call"
		}
		if !cs.s.group && sender != "" && sender != meID {
			m.Kind, m.Event, m.Sender = model.KindCall, nil, sender
			m.Call = &model.Call{Video: video, Missed: true}
			m.Text = "Missed " + what
			return
		}
		ev.Type = model.EventCall
		m.Text = "Missed " + what
	case noticeMissedGroupVideo:
		ev.Type = model.EventCall
		m.Text = "Missed group video call"
	case noticeGroupCall, noticeGroupVideoCall:
		ev.Type, ev.Actor = model.EventCall, person
		m.Text = "Group video call"
	case noticeSecurityCode:
		ev.Type, ev.Actor = model.EventSecurityCode, person
		m.Text = "Your security code with " + cs.name(person) + " changed"
	case noticeBlocked:
		ev.Type = model.EventBlocked
		m.Text = "You blocked this contact"
	case noticeUnblocked:
		ev.Type = model.EventBlocked
		m.Text = "You unblocked this contact"
	case noticeBusiness:
		ev.Type = model.EventOther
		m.Text = "This chat is with a business account"
	case noticeNoLongerBusiness:
		ev.Type = model.EventOther
		m.Text = "This account is no longer a business account"
	default:
		ev.Type = model.EventOther
		m.Text = fmt.Sprintf("WhatsApp notice %d", w.event)
		if w.text != "" {
			m.Text += ": " + w.text
		}
	}
}
