package whatsappios

import (
	"strings"

	"github.com/chatferry/chatferry/importers/internal/vcard"
	"github.com/chatferry/chatferry/model"
)

// A contact message keeps its cards in ZWAMEDIAITEM.ZVCARDSTRING, joined by
// vcardSeparator, and their display names in ZVCARDNAME, joined by
// nameSeparator. When one message shares several contacts, the names list
// starts with a name for the whole bundle.
const (
	vcardSeparator = "_$!<VCard-Separator>!$_"
	nameSeparator  = "_$!<Name-Separator>!$_"
)

// maxCards bounds how many cards one message may yield.
const maxCards = 1000

// parseContacts returns the contacts of a contact message. Each keeps its
// raw card; Name comes from the names list, else the card's FN or N; Phones
// are the card's TEL values.
func parseContacts(names, cards string) []model.Contact {
	if strings.TrimSpace(cards) == "" {
		if strings.TrimSpace(names) == "" {
			return nil
		}
		return []model.Contact{{Name: names}}
	}
	list := strings.SplitN(cards, vcardSeparator, maxCards)
	var nameList []string
	if names != "" {
		nameList = strings.SplitN(names, nameSeparator, maxCards+1)
		if len(nameList) > len(list) {
			nameList = nameList[len(nameList)-len(list):]
		}
	}
	out := make([]model.Contact, 0, len(list))
	for i, card := range list {
		c := vcard.Parse(card)
		if i < len(nameList) && strings.TrimSpace(nameList[i]) != "" {
			c.Name = strings.TrimSpace(nameList[i])
		}
		out = append(out, c)
	}
	return out
}
