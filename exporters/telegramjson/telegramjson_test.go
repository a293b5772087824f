package telegramjson_test

import (
	"testing"

	"github.com/chatferry/chatferry/exporters/exportertest"
	_ "github.com/chatferry/chatferry/exporters/telegramjson"
)

func TestKit(t *testing.T) {
	exportertest.Run(t, "telegram-json",
		exportertest.Case{},
		exportertest.Case{Name: "direct", Input: "../whatsapp/testdata/direct.json"},
		exportertest.Case{Name: "edge", Input: "../whatsapp/testdata/edge.json"},
		exportertest.Case{Name: "hostile", Input: "../telegramimport/testdata/hostile.json"},
	)
}
