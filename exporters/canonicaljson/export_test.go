package canonicaljson_test

import (
	"github.com/chatferry/chatferry/exporters/canonicaljson"
	"github.com/chatferry/chatferry/model"
)

func appendMessage(m *model.Message) []byte { return canonicaljson.AppendMessage(nil, m) }
