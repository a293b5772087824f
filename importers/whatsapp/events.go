package whatsapp

import (
	"regexp"
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

// eventRule matches one kind of system line. The groups of re are, by
// name: actor, targets, subject.
type eventRule struct {
	key   string // a literal every match contains, to skip the expression cheaply
	re    *regexp.Regexp
	typ   model.EventType
	group bool
	you   bool // the actor is the exporting user
}

const q = `["“„«]`  // opening quote
const qe = `["”“»]` // closing quote

var eventRules = func() []eventRule {
	r := func(expr string, typ model.EventType, group, you bool) eventRule {
		return eventRule{literal(expr), regexp.MustCompile(`^` + expr + `$`), typ, group, you}
	}
	g := true
	return []eventRule{
		// English
		r(`You created group `+q+`(?P<subject>.*)`+qe, model.EventGroupCreated, g, true),
		r(`(?P<actor>.+) created group `+q+`(?P<subject>.*)`+qe, model.EventGroupCreated, g, false),
		r(`You created this group`, model.EventGroupCreated, g, true),
		r(`(?P<actor>.+) created this group`, model.EventGroupCreated, g, false),
		r(`You were added`, model.EventMemberAdded, g, false),
		r(`You added (?P<targets>.+)`, model.EventMemberAdded, g, true),
		r(`(?P<actor>.+) added (?P<targets>.+)`, model.EventMemberAdded, g, false),
		r(`You removed (?P<targets>.+)`, model.EventMemberRemoved, g, true),
		r(`(?P<actor>.+) removed (?P<targets>.+)`, model.EventMemberRemoved, g, false),
		r(`You left`, model.EventMemberLeft, g, true),
		r(`(?P<actor>.+) left`, model.EventMemberLeft, g, false),
		r(`You joined using this group's invite link`, model.EventMemberJoined, g, true),
		r(`(?P<actor>.+) joined using this group's invite link`, model.EventMemberJoined, g, false),
		r(`You changed the (?:subject|group name)(?: from `+q+`.*`+qe+`)? to `+q+`(?P<subject>.*)`+qe, model.EventSubjectChanged, g, true),
		r(`(?P<actor>.+) changed the (?:subject|group name)(?: from `+q+`.*`+qe+`)? to `+q+`(?P<subject>.*)`+qe, model.EventSubjectChanged, g, false),
		r(`You (?:changed|deleted) (?:this group's|the group) icon`, model.EventIconChanged, g, true),
		r(`(?P<actor>.+) (?:changed|deleted) (?:this group's|the group) icon`, model.EventIconChanged, g, false),
		r(`You (?:changed|deleted) the group description`, model.EventDescriptionChanged, g, true),
		r(`(?P<actor>.+) (?:changed|deleted) the group description`, model.EventDescriptionChanged, g, false),
		r(`You changed this group's settings.*`, model.EventSettingsChanged, g, true),
		r(`(?P<actor>.+) changed this group's settings.*`, model.EventSettingsChanged, g, false),
		r(`You're (?:now|no longer) an admin`, model.EventAdminChanged, g, false),
		r(`(?P<actor>.+) (?:is now an admin|is no longer an admin)`, model.EventAdminChanged, g, false),
		r(`You (?:updated the message timer|turned (?:on|off) disappearing messages).*`, model.EventDisappearing, false, true),
		r(`(?P<actor>.+) (?:updated the message timer|turned (?:on|off) disappearing messages).*`, model.EventDisappearing, false, false),
		r(`(?P<actor>.+) changed their phone number.*`, model.EventNumberChanged, false, false),
		r(`(?P<actor>\+[0-9 ()\-]+) changed to (?P<targets>\+[0-9 ()\-]+)`, model.EventNumberChanged, false, false),
		r(`You (?:blocked|unblocked) this contact.*`, model.EventBlocked, false, true),
		// German
		r(`Du hast die Gruppe `+q+`(?P<subject>.*)`+qe+` erstellt\.?`, model.EventGroupCreated, g, true),
		r(`(?P<actor>.+) hat die Gruppe `+q+`(?P<subject>.*)`+qe+` erstellt\.?`, model.EventGroupCreated, g, false),
		r(`Du hast (?P<targets>.+) hinzugefügt\.?`, model.EventMemberAdded, g, true),
		r(`(?P<actor>.+) hat (?P<targets>.+) hinzugefügt\.?`, model.EventMemberAdded, g, false),
		r(`Du hast (?P<targets>.+) entfernt\.?`, model.EventMemberRemoved, g, true),
		r(`(?P<actor>.+) hat (?P<targets>.+) entfernt\.?`, model.EventMemberRemoved, g, false),
		r(`Du hast die Gruppe verlassen\.?`, model.EventMemberLeft, g, true),
		r(`(?P<actor>.+) hat die Gruppe verlassen\.?`, model.EventMemberLeft, g, false),
		r(`Du hast den (?:Gruppennamen|Betreff)(?: von `+q+`.*`+qe+`)? (?:zu|in) `+q+`(?P<subject>.*)`+qe+` geändert\.?`, model.EventSubjectChanged, g, true),
		r(`(?P<actor>.+) hat den (?:Gruppennamen|Betreff)(?: von `+q+`.*`+qe+`)? (?:zu|in) `+q+`(?P<subject>.*)`+qe+` geändert\.?`, model.EventSubjectChanged, g, false),
		r(`Du hast das Gruppenbild geändert\.?`, model.EventIconChanged, g, true),
		r(`(?P<actor>.+) hat das Gruppenbild geändert\.?`, model.EventIconChanged, g, false),
		// Russian
		r(`(?P<actor>.+) добавил\(-а\) (?:контакт )?(?P<targets>.+)`, model.EventMemberAdded, g, false),
		r(`(?P<actor>.+) удалил\(-а\) (?:контакт )?(?P<targets>.+)`, model.EventMemberRemoved, g, false),
		r(`(?P<actor>.+) вышел\(-ла\)`, model.EventMemberLeft, g, false),
	}
}()

// literal returns the longest run of plain characters in expr.
func literal(expr string) string {
	best, cur := "", []rune{}
	flush := func() {
		if len(string(cur)) > len(best) {
			best = string(cur)
		}
		cur = cur[:0]
	}
	depth := 0
	for _, c := range expr {
		switch {
		case c == '(' || c == '[':
			flush()
			depth++
		case c == ')' || c == ']':
			flush()
			depth--
		case depth > 0 || strings.ContainsRune(`.*+?|\\^$`, c):
			flush()
		default:
			cur = append(cur, c)
		}
	}
	flush()
	return best
}

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
	for _, rule := range eventRules {
		if !strings.Contains(text, rule.key) {
			continue
		}
		m := rule.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		ev := event{typ: rule.typ, group: rule.group, actorYou: rule.you}
		for i, name := range rule.re.SubexpNames() {
			switch name {
			case "actor":
				ev.actor = m[i]
			case "subject":
				ev.subject = m[i]
			case "targets":
				ev.targets, ev.youTgt = splitNames(m[i])
			}
		}
		if (rule.typ == model.EventMemberAdded || rule.typ == model.EventAdminChanged) && ev.actor == "" && !rule.you {
			ev.youTgt = true // "You were added", "You're now an admin"
		}
		return ev
	}
	return event{typ: model.EventOther}
}

// splitNames splits "Ann, Ben and you" into names, reporting "you"
// separately.
func splitNames(s string) ([]string, bool) {
	var names []string
	you := false
	for _, part := range strings.Split(s, ", ") {
		for _, name := range strings.Split(part, " and ") {
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
