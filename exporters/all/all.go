// Package all registers every output format of chatferry. Import it for its
// side effect:
//
//	import _ "github.com/chatferry/chatferry/exporters/all"
package all

import (
	_ "github.com/chatferry/chatferry/exporters/canonicaljson"
	_ "github.com/chatferry/chatferry/exporters/csv"
	_ "github.com/chatferry/chatferry/exporters/html"
	_ "github.com/chatferry/chatferry/exporters/markdown"
	_ "github.com/chatferry/chatferry/exporters/signal"
	_ "github.com/chatferry/chatferry/exporters/sqlite"
	_ "github.com/chatferry/chatferry/exporters/telegramimport"
	_ "github.com/chatferry/chatferry/exporters/telegramjson"
	_ "github.com/chatferry/chatferry/exporters/text"
	_ "github.com/chatferry/chatferry/exporters/whatsapp"
)
