package html_test

import (
	"testing"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	_ "github.com/chatferry/chatferry/exporters/html"
)

func TestKit(t *testing.T) {
	exportertest.Run(t, "html",
		exportertest.Case{},
		exportertest.Case{Name: "paged", Options: exporters.Options{
			Values: exporters.Values{"page-size": "4", "search-size": "6", "title": "Paged <archive>"}}},
	)
}
