package whatsapp

import (
	"strings"

	"github.com/chatferry/chatferry/model"
)

// event is a classified system line. Actor and targets are names as
// written; "You" (or its translation) is the exporting user.
type event struct {
	typ      model.EventType
	actor    string
	actorYou bool
	targets  []string
	youTgt   bool // the exporting user is a target ("added you")
	subject  string
	group    bool // only group chats have this event
}

// eventRule matches one kind of system line (see compiledPattern for the
// pattern language).
type eventRule struct {
	pattern string
	typ     model.EventType
	group   bool // only group chats have this event
	you     bool // the actor is the exporting user
	youTgt  bool // the exporting user is the target ("sizi ekledi": added you)
}

// eventRules are tried in order; the first that matches a line decides.
var eventRules = func() []eventRule {
	r := func(pattern string, typ model.EventType, group, you bool) eventRule {
		return eventRule{pattern: pattern, typ: typ, group: group, you: you}
	}
	g := true
	return []eventRule{
		// English
		r(`You created group “{subject}”`, model.EventGroupCreated, g, true),
		r(`{actor} created group “{subject}”`, model.EventGroupCreated, g, false),
		r(`You created this group`, model.EventGroupCreated, g, true),
		r(`{actor} created this group`, model.EventGroupCreated, g, false),
		r(`You were added`, model.EventMemberAdded, g, false),
		r(`You added {targets}`, model.EventMemberAdded, g, true),
		r(`{actor} added {targets}`, model.EventMemberAdded, g, false),
		r(`You removed {targets}`, model.EventMemberRemoved, g, true),
		r(`{actor} removed {targets}`, model.EventMemberRemoved, g, false),
		r(`You left`, model.EventMemberLeft, g, true),
		r(`{actor} left`, model.EventMemberLeft, g, false),
		r(`You joined using this group's invite link`, model.EventMemberJoined, g, true),
		r(`{actor} joined using this group's invite link`, model.EventMemberJoined, g, false),
		r(`You changed the [subject|group name][ from “{any}”]? to “{subject}”`, model.EventSubjectChanged, g, true),
		r(`{actor} changed the [subject|group name][ from “{any}”]? to “{subject}”`, model.EventSubjectChanged, g, false),
		r(`You [changed|deleted] [this group's|the group] icon`, model.EventIconChanged, g, true),
		r(`{actor} [changed|deleted] [this group's|the group] icon`, model.EventIconChanged, g, false),
		r(`You [changed|deleted] the group description`, model.EventDescriptionChanged, g, true),
		r(`{actor} [changed|deleted] the group description`, model.EventDescriptionChanged, g, false),
		r(`You changed this group's settings{any}`, model.EventSettingsChanged, g, true),
		r(`{actor} changed this group's settings{any}`, model.EventSettingsChanged, g, false),
		r(`You're [now|no longer] an admin`, model.EventAdminChanged, g, false),
		r(`{actor} [is now an admin|is no longer an admin]`, model.EventAdminChanged, g, false),
		r(`You [updated the message timer|turned on disappearing messages|turned off disappearing messages]{any}`, model.EventDisappearing, false, true),
		r(`{actor} [updated the message timer|turned on disappearing messages|turned off disappearing messages]{any}`, model.EventDisappearing, false, false),
		r(`{actor} changed their phone number{any}`, model.EventNumberChanged, false, false),
		r(`{actor:phone} changed to {targets:phone}`, model.EventNumberChanged, false, false),
		r(`You [blocked|unblocked] this contact{any}`, model.EventBlocked, false, true),
		// German
		r(`Du hast die Gruppe “{subject}” erstellt[.]?`, model.EventGroupCreated, g, true),
		r(`{actor} hat die Gruppe “{subject}” erstellt[.]?`, model.EventGroupCreated, g, false),
		r(`Du hast {targets} hinzugefügt[.]?`, model.EventMemberAdded, g, true),
		r(`{actor} hat {targets} hinzugefügt[.]?`, model.EventMemberAdded, g, false),
		r(`Du hast {targets} entfernt[.]?`, model.EventMemberRemoved, g, true),
		r(`{actor} hat {targets} entfernt[.]?`, model.EventMemberRemoved, g, false),
		r(`Du hast die Gruppe verlassen[.]?`, model.EventMemberLeft, g, true),
		r(`{actor} hat die Gruppe verlassen[.]?`, model.EventMemberLeft, g, false),
		r(`Du hast den [Gruppennamen|Betreff][ von “{any}”]? [zu|in] “{subject}” geändert[.]?`, model.EventSubjectChanged, g, true),
		r(`{actor} hat den [Gruppennamen|Betreff][ von “{any}”]? [zu|in] “{subject}” geändert[.]?`, model.EventSubjectChanged, g, false),
		r(`Du hast das Gruppenbild geändert[.]?`, model.EventIconChanged, g, true),
		r(`{actor} hat das Gruppenbild geändert[.]?`, model.EventIconChanged, g, false),
		// Russian
		r(`{actor} добавил(-а) [контакт ]?{targets}`, model.EventMemberAdded, g, false),
		r(`{actor} удалил(-а) [контакт ]?{targets}`, model.EventMemberRemoved, g, false),
		r(`{actor} вышел(-ла)`, model.EventMemberLeft, g, false),
		r(`{actor} создал(-а) группу[ “{subject}”]?`, model.EventGroupCreated, g, false),
		r(`{actor} изменил(-а) тему[ с “{any}”]? на “{subject}”`, model.EventSubjectChanged, g, false),
		// Turkish (mtln/chat-export#16)
		r(`{actor} bu grubu oluşturdu`, model.EventGroupCreated, g, false),
		{pattern: `{actor} sizi ekledi`, typ: model.EventMemberAdded, group: g, youTgt: true},
		r(`{actor} bu grubun simgesini değiştirdi`, model.EventIconChanged, g, false),
		// Spanish, French, Italian and Portuguese: the wording the format
		// catalog gives for creating, adding and leaving (its section 5,
		// from one parser's lists, not seen in an export of the corpus), and
		// the subject changes whose phrases the sender rule knows.
		r(`{actor} creó el grupo[ “{subject}”]?`, model.EventGroupCreated, g, false),
		r(`{actor} agregó [a ]?{targets}`, model.EventMemberAdded, g, false),
		r(`{actor} salió[ del grupo]?`, model.EventMemberLeft, g, false),
		r(`{actor} cambió el asunto[ de “{any}”]? a “{subject}”`, model.EventSubjectChanged, g, false),
		r(`{actor} a créé le groupe[ “{subject}”]?`, model.EventGroupCreated, g, false),
		r(`{actor} a ajouté {targets}`, model.EventMemberAdded, g, false),
		r(`{actor} a quitté[ le groupe]?`, model.EventMemberLeft, g, false),
		r(`{actor} a changé le sujet[ de “{any}”]? en “{subject}”`, model.EventSubjectChanged, g, false),
		r(`{actor} ha creato il gruppo[ “{subject}”]?`, model.EventGroupCreated, g, false),
		r(`{actor} ha aggiunto {targets}`, model.EventMemberAdded, g, false),
		r(`{actor} ha abbandonato[ il gruppo]?`, model.EventMemberLeft, g, false),
		r(`{actor} ha cambiato l'oggetto[ da “{any}”]? [in|a] “{subject}”`, model.EventSubjectChanged, g, false),
		r(`{actor} criou [este grupo|o grupo “{subject}”]`, model.EventGroupCreated, g, false),
		r(`{actor} adicionou {targets}`, model.EventMemberAdded, g, false),
		r(`{actor} saiu[ do grupo]?`, model.EventMemberLeft, g, false),
		r(`{actor} mudou o assunto[ de “{any}”]? para “{subject}”`, model.EventSubjectChanged, g, false),
	}
}()

// eventPatterns indexes the patterns of eventRules.
var eventPatterns = func() *patternIndex {
	patterns := make([]string, len(eventRules))
	for i, r := range eventRules {
		patterns[i] = r.pattern
	}
	return newPatternIndex(compileRules(patterns))
}()

// classifyEvent reads a system line (with invisible characters removed).
func classifyEvent(text string) event {
	for _, n := range noticePrefixes {
		if strings.HasPrefix(text, n.text) {
			ev := event{typ: n.typ}
			ev.group = n.typ == model.EventEncryption && strings.Contains(text, "this group")
			return ev
		}
	}
	for _, n := range noticeInfixes {
		if strings.Contains(text, n.text) {
			return event{typ: n.typ}
		}
	}
	if strings.Contains(text, "security code") {
		return event{typ: model.EventSecurityCode}
	}
	if p, caps, ok := eventPatterns.find(text); ok {
		rule := &eventRules[p.rule]
		ev := event{typ: rule.typ, group: rule.group, actorYou: rule.you}
		get := func(c capture) string { return text[caps[c].from:caps[c].to] }
		ev.actor, ev.subject = get(capActor), get(capSubject)
		if from := caps[capSubject].from; from >= 2 && text[from-2:from] == "«" {
			ev.subject = strings.TrimSpace(ev.subject) // French « subject », with no-break spaces
		}
		if caps[capTargets].to > 0 {
			ev.targets, ev.youTgt = splitNames(get(capTargets))
		}
		if (rule.typ == model.EventMemberAdded || rule.typ == model.EventAdminChanged) && ev.actor == "" && !rule.you || rule.youTgt {
			ev.youTgt = true // "You were added", "You're now an admin", "X sizi ekledi"
		}
		return ev
	}
	return event{typ: model.EventOther}
}

// ands join the last two names of a list, in the languages of the rules.
var ands = strings.NewReplacer(" and ", "\x00", " und ", "\x00", " и ", "\x00", " y ", "\x00", " et ", "\x00",
	" e ", "\x00", " ve ", "\x00")

func splitAnd(s string) []string { return strings.Split(ands.Replace(s), "\x00") }

// splitNames splits "Ann, Ben and you" into names, reporting "you"
// separately.
func splitNames(s string) ([]string, bool) {
	var names []string
	you := false
	for _, part := range strings.Split(s, ", ") {
		for _, name := range splitAnd(part) {
			name = strings.TrimSpace(strings.TrimSuffix(name, "."))
			switch name {
			case "":
			case "you", "You", "dich", "Sie":
				you = true
			default:
				names = append(names, name)
			}
		}
	}
	return names, you
}
