package whatsappios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// Group events: ZMESSAGETYPE 6 with ZGROUPEVENTTYPE. The database keeps no
// wording, so chatferry writes its own, in English, from the event and the
// names of the people it concerns. The row's group member is the person
// the event is about; ZTEXT holds a new name, a duration, or the JIDs of
// who acted ("actor" or "actor;target,target").
const (
	groupRenamed            = 1
	groupAdded              = 2
	groupLeft               = 3
	groupIconChanged        = 4
	groupIconDeleted        = 5
	groupRemoved            = 7
	groupNumberChanged      = 9
	groupYouAdmin           = 10
	groupYouNotAdmin        = 11
	groupCreated            = 12
	groupCommunityGone      = 13
	groupJoinedByLink       = 15
	groupDescription        = 17
	groupOnlyAdminsEdit     = 18
	groupAllEdit            = 19
	groupOnlyAdminsSend     = 20
	groupAllSend            = 21
	groupDescriptionDeleted = 22
	groupJoinedByInvite     = 23
	groupDisappearing       = 26
	groupJoinedByCommunity  = 30
	groupToCommunity        = 31
	groupFromCommunity      = 33
	groupMemberAdmin        = 39
	groupOnlyAdminsAdd      = 42
	groupNotInCommunity     = 43
	groupAddedMany          = 50
	groupCommunityAction    = 51
	groupRenamedJSON        = 56
	groupCommunityAbout     = 57
	groupCommunityWelcome   = 60
	groupToCommunity2       = 61
	groupCommunityAdd       = 64
)

// groupEventText is the wording of the group events that name no one but
// the person they are about (or none).
var groupEventText = map[int64]struct {
	typ  model.EventType
	text string // "%s" is the person
}{
	groupLeft:               {model.EventMemberLeft, "%s left"},
	groupIconChanged:        {model.EventIconChanged, "%s changed the group icon"},
	groupIconDeleted:        {model.EventIconChanged, "%s deleted the group icon"},
	groupNumberChanged:      {model.EventNumberChanged, "%s changed their phone number"},
	groupDescription:        {model.EventDescriptionChanged, "%s changed the group description"},
	groupDescriptionDeleted: {model.EventDescriptionChanged, "%s deleted the group description"},
	groupCommunityAbout:     {model.EventDescriptionChanged, "%s changed the community description"},
	groupOnlyAdminsEdit:     {model.EventSettingsChanged, "%s changed this group's settings to allow only admins to edit this group's info"},
	groupAllEdit:            {model.EventSettingsChanged, "%s changed this group's settings to allow all members to edit this group's info"},
	groupOnlyAdminsSend:     {model.EventSettingsChanged, "%s changed this group's settings to allow only admins to send messages"},
	groupAllSend:            {model.EventSettingsChanged, "%s changed this group's settings to allow all members to send messages"},
	groupOnlyAdminsAdd:      {model.EventSettingsChanged, "%s changed this group's settings to allow only admins to add others"},
	groupToCommunity:        {model.EventOther, "This group was added to a community"},
	groupToCommunity2:       {model.EventOther, "This group was added to a community"},
	groupFromCommunity:      {model.EventOther, "This group was removed from its community"},
	groupNotInCommunity:     {model.EventOther, "This group is no longer part of a community"},
	groupCommunityGone:      {model.EventOther, "This community is no longer available"},
	groupCommunityAction:    {model.EventOther, "A community admin changed this group"},
	groupCommunityWelcome:   {model.EventOther, "Welcome to the community"},
}

func knownGroupEvent(e int64) bool {
	switch e {
	case groupRenamed, groupRenamedJSON, groupAdded, groupAddedMany, groupRemoved, groupYouAdmin, groupYouNotAdmin,
		groupMemberAdmin, groupCreated, groupJoinedByLink, groupJoinedByInvite, groupJoinedByCommunity,
		groupDisappearing, groupCommunityAdd:
		return true
	}
	_, ok := groupEventText[e]
	return ok
}

// Notices: ZMESSAGETYPE 10 with ZGROUPEVENTTYPE.
const (
	noticeMissedVoice      = 1
	noticeEncrypted        = 2
	noticeSecurityCode     = 3
	noticeMissedVideo      = 4
	noticeNumberOld        = 5
	noticeNumberNew        = 6
	noticeMissedGroupVoice = 21
	noticeMissedGroupVideo = 22
	noticeOfficial         = 25
	noticeBusiness         = 26
	noticeBusinessName     = 29
	noticeNoLongerBusiness = 30
	noticeBlocked          = 34
	noticeUnblocked        = 35
	noticeSecurityCode2    = 36
	noticeOfficial2        = 38
	noticeGroupCall        = 40
	noticeGroupVideoCall   = 41
	noticeMissedVoice2     = 45
	noticeMissedVideo2     = 46
	noticeKept             = 47
	noticePrivacy          = 51
	noticeAddedToContacts  = 56
)

func knownNotice(e int64) bool {
	switch e {
	case noticeMissedVoice, noticeEncrypted, noticeSecurityCode, noticeMissedVideo, noticeNumberOld, noticeNumberNew,
		noticeMissedGroupVoice, noticeMissedGroupVideo, noticeOfficial, noticeBusiness, noticeBusinessName,
		noticeNoLongerBusiness, noticeBlocked, noticeUnblocked, noticeSecurityCode2, noticeOfficial2, noticeGroupCall,
		noticeGroupVideoCall, noticeMissedVoice2, noticeMissedVideo2, noticeKept, noticePrivacy, noticeAddedToContacts:
		return true
	}
	return false
}

// groupEvent converts a group event.
func (r *reader) groupEvent(cs *chatState, w *row, m *model.Message) {
	m.Kind = model.KindSystem
	ev := &model.Event{}
	m.Event = ev
	member := r.pid(cs, w.memberJID) // whom the event is about
	if member == "" && w.fromMe {
		member = meID
	}
	named := r.textJIDs(cs, w.text)
	who := cs.name(member)
	switch w.event {
	case groupRenamed, groupRenamedJSON:
		name, author, ok := parseSubjectJSON(w.text)
		if !ok {
			name = w.text
		}
		actor := member
		if id := r.pid(cs, author); id != "" && !w.fromMe {
			actor = id
		}
		ev.Type, ev.Actor, ev.Subject = model.EventSubjectChanged, actor, name
		m.Text = fmt.Sprintf("%s changed the group name to \"%s\"", cs.name(actor), name)
	case groupCreated:
		ev.Type, ev.Actor = model.EventGroupCreated, member
		if len(named) == 0 && !isNumber(w.text) {
			ev.Subject = w.text
		}
		m.Text = fmt.Sprintf("%s created the group", who)
		if ev.Subject != "" {
			m.Text = fmt.Sprintf("%s created group \"%s\"", who, ev.Subject)
		}
	case groupAdded, groupAddedMany:
		r.added(cs, w, m, named)
	case groupRemoved:
		ev.Type, ev.Targets = model.EventMemberRemoved, ids(r.pid(cs, w.memberJID))
		target := cs.name(r.pid(cs, w.memberJID))
		switch {
		case len(named) > 0:
			ev.Actor = named[0]
			m.Text = fmt.Sprintf("%s removed %s", cs.name(named[0]), target)
		case w.fromMe:
			ev.Actor = meID
			m.Text = "You removed " + target
		default:
			m.Text = target + " was removed"
		}
	case groupJoinedByLink, groupJoinedByInvite, groupJoinedByCommunity:
		ev.Type, ev.Targets = model.EventMemberJoined, ids(member)
		how := map[int64]string{groupJoinedByLink: "using this group's invite link",
			groupJoinedByInvite: "from an invitation", groupJoinedByCommunity: "from the community"}[w.event]
		m.Text = fmt.Sprintf("%s joined %s", who, how)
	case groupYouAdmin:
		ev.Type, ev.Targets = model.EventAdminChanged, ids(meID)
		m.Text = "You're now an admin"
	case groupYouNotAdmin:
		ev.Type, ev.Targets = model.EventAdminChanged, ids(meID)
		m.Text = "You're no longer an admin"
	case groupMemberAdmin:
		ev.Type, ev.Targets = model.EventAdminChanged, ids(member)
		m.Text = who + " is now an admin"
	case groupDisappearing:
		ev.Type, ev.Actor = model.EventDisappearing, member
		m.Text = disappearing(who, w.text)
	case groupCommunityAdd:
		ev.Type, ev.Actor = model.EventSettingsChanged, member
		m.Text = "Only community admins can add groups to this community"
		if w.text == "1" {
			m.Text = "All community members can add groups to this community"
		}
	default:
		if e, ok := groupEventText[w.event]; ok {
			ev.Type, ev.Actor = e.typ, member
			m.Text = e.text
			if strings.Contains(e.text, "%s") {
				m.Text = fmt.Sprintf(e.text, who)
			} else {
				ev.Actor = ""
			}
			break
		}
		ev.Type, ev.Actor = model.EventOther, member
		m.Text = fmt.Sprintf("Group event %d", w.event)
		if member != "" {
			m.Text += " (" + who + ")"
		}
		if w.text != "" {
			m.Text += " – " + w.text
		}
	}
}

// added converts an "added" event: ZTEXT names who added ("actor", or
// "actor;target,target"); the row's member is who was added when ZTEXT
// does not list them.
func (r *reader) added(cs *chatState, w *row, m *model.Message, named []model.ParticipantID) {
	ev := m.Event
	ev.Type = model.EventMemberAdded
	var actor model.ParticipantID
	targets := ids(r.pid(cs, w.memberJID))
	switch {
	case strings.Contains(w.text, ";") && len(named) > 0:
		actor, targets = named[0], named[1:]
	case len(named) > 0:
		actor = named[0]
	case w.fromMe:
		actor = meID
	}
	ev.Actor, ev.Targets = actor, targets
	switch {
	case len(targets) == 0:
		m.Text = cs.name(actor) + " added someone"
	case actor == "":
		m.Text = cs.nameList(targets) + " was added"
		if len(targets) > 1 {
			m.Text = cs.nameList(targets) + " were added"
		}
	default:
		m.Text = fmt.Sprintf("%s added %s", cs.name(actor), cs.nameList(targets))
	}
}

// disappearing words a change of the disappearing-messages timer, whose
// duration in seconds is in ZTEXT, as WhatsApp does.
func disappearing(who, text string) string {
	span := timerSpan(text)
	if span == "" {
		return who + " turned off disappearing messages."
	}
	return fmt.Sprintf("%s turned on disappearing messages. New messages will disappear from this chat %s after they're sent.", who, span)
}

// disappearingDefault words a chat's default timer (message type 28).
func disappearingDefault(text string) string {
	span := timerSpan(text)
	if span == "" {
		return "Disappearing messages are off in this chat."
	}
	return fmt.Sprintf("New messages will disappear from this chat %s after they're sent, by the default timer.", span)
}

// timerSpan reads a timer in seconds as "7 days", or "" for off or none.
func timerSpan(text string) string {
	secs, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || secs <= 0 {
		return ""
	}
	d := time.Duration(secs) * time.Second
	var span string
	switch {
	case d > 100*365*24*time.Hour:
		return ""
	case d%(24*time.Hour) == 0:
		span = count(int64(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		span = count(int64(d/time.Hour), "hour")
	default:
		span = count(secs, "second")
	}
	return span
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

// notice converts a notice (type 10): the encryption notice, missed
// calls, security code and number changes, blocks and business notices.
func (r *reader) notice(cs *chatState, w *row, m *model.Message, sender model.ParticipantID) {
	m.Kind = model.KindSystem
	ev := &model.Event{}
	m.Event = ev
	person := r.pid(cs, w.memberJID)
	if person == "" && !cs.s.group {
		person = cs.partner
	}
	who := cs.name(person)
	switch w.event {
	case noticeEncrypted:
		ev.Type = model.EventEncryption
		m.Text = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
	case noticeMissedVoice, noticeMissedVoice2, noticeMissedVideo, noticeMissedVideo2:
		video := w.event == noticeMissedVideo || w.event == noticeMissedVideo2
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
	case noticeMissedGroupVoice:
		ev.Type = model.EventCall
		m.Text = "Missed group voice call"
	case noticeMissedGroupVideo:
		ev.Type = model.EventCall
		m.Text = "Missed group video call"
	case noticeGroupCall, noticeGroupVideoCall:
		ev.Type, ev.Actor = model.EventCall, person
		m.Text = "Group video call"
	case noticeSecurityCode, noticeSecurityCode2:
		ev.Type, ev.Actor = model.EventSecurityCode, person
		m.Text = "Your security code with " + who + " changed"
	case noticeNumberOld, noticeNumberNew:
		ev.Type, ev.Actor = model.EventNumberChanged, person
		m.Text = who + " changed their phone number"
	case noticeBlocked:
		ev.Type = model.EventBlocked
		m.Text = "You blocked this contact"
	case noticeUnblocked:
		ev.Type = model.EventBlocked
		m.Text = "You unblocked this contact"
	default:
		ev.Type = model.EventOther
		m.Text = map[int64]string{
			noticeBusiness:         "This chat is with a business account",
			noticeBusinessName:     "This business account changed its name",
			noticeNoLongerBusiness: "This account is no longer a business account",
			noticeOfficial:         "This is an official business account",
			noticeOfficial2:        "This is an official business account",
			noticeKept:             "A message was kept in the chat",
			noticePrivacy:          "This chat has added privacy",
			noticeAddedToContacts:  who + " was added to your contacts",
		}[w.event]
		if m.Text == "" {
			m.Text = fmt.Sprintf("WhatsApp notice %d", w.event)
			if w.text != "" {
				m.Text += " – " + w.text
			}
		}
	}
}
