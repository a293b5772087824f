package whatsapp

import (
	"reflect"
	"testing"

	"github.com/chatferry/chatferry/model"
)

func TestExpandPattern(t *testing.T) {
	got := expandPattern("a [b|c][ d]? e[.]?")
	want := []string{"a b d e.", "a b d e", "a b e.", "a b e", "a c d e.", "a c d e", "a c e.", "a c e"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// The matcher splits a line as a regular expression with greedy groups
// would: the first part takes as much as it can.
func TestPatternMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, line string
		ok            bool
		actor, tgts   string
		subject       string
	}{
		{"{actor} added {targets}", "Ann added Ben", true, "Ann", "Ben", ""},
		{"{actor} added {targets}", "Ann added Ben added Carl", true, "Ann added Ben", "Carl", ""},
		{"{actor} added {targets}", " added Ben", false, "", "", ""},
		{"{actor} added {targets}", "Ann added ", false, "", "", ""},
		{"{actor} left", "Ann left left", true, "Ann left", "", ""},
		{"{actor} created group “{subject}”", `Ann created group "Trip "2024""`, true, "Ann", "", `Trip "2024"`},
		{"{actor} created group “{subject}”", "Ann created group «Trip»", true, "Ann", "", "Trip"},
		{"{actor} created group “{subject}”", "Ann created group „Trip“", true, "Ann", "", "Trip"},
		{"{actor} created group “{subject}”", `Ann created group ""`, true, "Ann", "", ""},
		{"{actor} created group “{subject}”", `Ann created group "Trip`, false, "", "", ""},
		{"{actor} changed the subject[ from “{any}”]? to “{subject}”", `A changed the subject from "to "x"" to "y"`, true, "A", "", "y"},
		{"{actor:phone} changed to {targets:phone}", "+44 (0) 7700-900 changed to +1 555", true, "+44 (0) 7700-900", "+1 555", ""},
		{"{actor:phone} changed to {targets:phone}", "+44 7700 changed to Ann", false, "", "", ""},
		{"{actor:phone} changed to {targets:phone}", "Ann changed to +44", false, "", "", ""},
		{"{actor} hat die Gruppe verlassen[.]?", "Ann hat die Gruppe verlassen.", true, "Ann", "", ""},
		{"{actor} hat die Gruppe verlassen[.]?", "Ann hat die Gruppe verlassen..", false, "", "", ""},
	} {
		x := newPatternIndex(compileRules([]string{tc.pattern}))
		_, caps, ok := x.find(tc.line)
		if ok != tc.ok {
			t.Errorf("%q on %q: match %v, want %v", tc.pattern, tc.line, ok, tc.ok)
			continue
		}
		get := func(c capture) string { return tc.line[caps[c].from:caps[c].to] }
		if ok && (get(capActor) != tc.actor || get(capTargets) != tc.tgts || get(capSubject) != tc.subject) {
			t.Errorf("%q on %q: actor %q targets %q subject %q", tc.pattern, tc.line, get(capActor), get(capTargets), get(capSubject))
		}
	}
}

func TestClassifyEvent(t *testing.T) {
	for _, tc := range []struct {
		line string
		want event
	}{
		{"Ann added Ben, Carl and you", event{typ: model.EventMemberAdded, actor: "Ann", targets: []string{"Ben", "Carl"}, youTgt: true, group: true}},
		{"You removed Ben", event{typ: model.EventMemberRemoved, actorYou: true, targets: []string{"Ben"}, group: true}},
		{"You were added", event{typ: model.EventMemberAdded, youTgt: true, group: true}},
		{`Ann changed the group name from "A" to "Trip: 2024"`, event{typ: model.EventSubjectChanged, actor: "Ann", subject: "Trip: 2024", group: true}},
		{"Du hast die Gruppe „Reise“ erstellt.", event{typ: model.EventGroupCreated, actorYou: true, subject: "Reise", group: true}},
		{"Иван добавил(-а) контакт Петя", event{typ: model.EventMemberAdded, actor: "Иван", targets: []string{"Петя"}, group: true}},
		{"+44 7700 900123 changed to +44 7700 900456", event{typ: model.EventNumberChanged, actor: "+44 7700 900123", targets: []string{"+44 7700 900456"}}},
		{"Messages and calls are end-to-end encrypted. No one outside of this chat can read them.", event{typ: model.EventEncryption}},
		{"Something WhatsApp wrote", event{typ: model.EventOther}},
		{"Alice und Bob", event{typ: model.EventOther}},
		{"Ann hat Alice und Bob hinzugefügt.", event{typ: model.EventMemberAdded, actor: "Ann", targets: []string{"Alice", "Bob"}, group: true}},
		// Turkish (mtln/chat-export#16)
		{"Maldamer bu grubu oluşturdu", event{typ: model.EventGroupCreated, actor: "Maldamer", group: true}},
		{"Emirço sizi ekledi", event{typ: model.EventMemberAdded, actor: "Emirço", youTgt: true, group: true}},
		{"Emirço bu grubun simgesini değiştirdi", event{typ: model.EventIconChanged, actor: "Emirço", group: true}},
		// Spanish, French, Italian, Portuguese (format catalog, section 5)
		{"María creó el grupo “Viaje”", event{typ: model.EventGroupCreated, actor: "María", subject: "Viaje", group: true}},
		{"María agregó a Juan y Pedro", event{typ: model.EventMemberAdded, actor: "María", targets: []string{"Juan", "Pedro"}, group: true}},
		{"Juan salió del grupo", event{typ: model.EventMemberLeft, actor: "Juan", group: true}},
		{"Juan cambió el asunto de “A” a “Viaje: 2024”", event{typ: model.EventSubjectChanged, actor: "Juan", subject: "Viaje: 2024", group: true}},
		{"Sophie a créé le groupe « Voyage »", event{typ: model.EventGroupCreated, actor: "Sophie", subject: "Voyage", group: true}},
		{"Sophie a créé le groupe «Voyage»", event{typ: model.EventGroupCreated, actor: "Sophie", subject: "Voyage", group: true}},
		{"Sophie a ajouté Luc", event{typ: model.EventMemberAdded, actor: "Sophie", targets: []string{"Luc"}, group: true}},
		{"Luc a quitté", event{typ: model.EventMemberLeft, actor: "Luc", group: true}},
		{"Marco ha creato il gruppo “Gita”", event{typ: model.EventGroupCreated, actor: "Marco", subject: "Gita", group: true}},
		{"Marco ha aggiunto Luca e Sara", event{typ: model.EventMemberAdded, actor: "Marco", targets: []string{"Luca", "Sara"}, group: true}},
		{"Luca ha abbandonato il gruppo", event{typ: model.EventMemberLeft, actor: "Luca", group: true}},
		{"Luca ha cambiato l'oggetto da “A” a “Gita”", event{typ: model.EventSubjectChanged, actor: "Luca", subject: "Gita", group: true}},
		{"João criou este grupo", event{typ: model.EventGroupCreated, actor: "João", group: true}},
		{"João criou o grupo “Viagem”", event{typ: model.EventGroupCreated, actor: "João", subject: "Viagem", group: true}},
		{"João adicionou Ana", event{typ: model.EventMemberAdded, actor: "João", targets: []string{"Ana"}, group: true}},
		{"Ana saiu", event{typ: model.EventMemberLeft, actor: "Ana", group: true}},
		{"Ana mudou o assunto para “Viagem”", event{typ: model.EventSubjectChanged, actor: "Ana", subject: "Viagem", group: true}},
		{"Иван создал(-а) группу “Поездка”", event{typ: model.EventGroupCreated, actor: "Иван", subject: "Поездка", group: true}},
		// The notices of the corpus languages (encryption, security code)
		{"Los mensajes y las llamadas están cifrados de extremo a extremo. Nadie fuera de este chat puede leerlos.", event{typ: model.EventEncryption}},
		{"Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen.", event{typ: model.EventEncryption}},
		{"Mesajlar ve aramalar uçtan uca şifrelidir. Kimse okuyamaz.", event{typ: model.EventEncryption}},
		{"Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun dapat membacanya.", event{typ: model.EventEncryption}},
		{"Votre code de sécurité avec Elon a changé. Appuyez pour en savoir plus.", event{typ: model.EventSecurityCode}},
		{"Kode keamanan Anda dengan Elon telah berubah. Ketuk untuk info selengkapnya.", event{typ: model.EventSecurityCode}},
	} {
		if got := classifyEvent(tc.line); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.line, got, tc.want)
		}
	}
}

// BenchmarkClassifyEvent measures the classification of a typical mix of
// system lines (every system line is classified in both passes).
func BenchmarkClassifyEvent(b *testing.B) {
	lines := []string{"Ann Example added Ben Sample", "Carla Example left",
		`Dave changed the subject from "Trip" to "Trip: tonight"`, "Eve O'Neil changed this group's icon",
		"Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
		"Something WhatsApp wrote in a language chatferry does not know"}
	for b.Loop() {
		for _, l := range lines {
			classifyEvent(l)
		}
	}
}
