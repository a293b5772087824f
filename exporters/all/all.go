// Package all registers every output format of chatferry. Import it for its
// side effect:
//
//	import _ "github.com/chatferry/chatferry/exporters/all"
package all

import (
	_ "github.com/chatferry/chatferry/exporters/canonicaljson"
	_ "github.com/chatferry/chatferry/exporters/html"
)
