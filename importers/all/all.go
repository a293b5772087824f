// Package all registers every input format of chatferry. Import it for its
// side effect:
//
//	import _ "github.com/chatferry/chatferry/importers/all"
package all

import (
	_ "github.com/chatferry/chatferry/importers/canonicaljson"
	_ "github.com/chatferry/chatferry/importers/telegramjson"
	_ "github.com/chatferry/chatferry/importers/whatsapp"
	_ "github.com/chatferry/chatferry/importers/whatsappandroid"
	_ "github.com/chatferry/chatferry/importers/whatsappios"
)
