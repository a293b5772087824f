package html

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"strings"
)

//go:embed assets/archive.css
var styleSheet string

//go:embed assets/archive.js
var script string

//go:embed assets/pages.tmpl
var templateFS embed.FS

// contentPolicy is the Content-Security-Policy of every page: nothing may
// load from anywhere (default-src 'none'), images and audio or video only
// from the archive's own folder, and the one style sheet and script only
// by their hashes, so an injected element could neither run nor load
// anything even if escaping failed.
var contentPolicy = strings.Join([]string{
	"default-src 'none'",
	"img-src 'self'",
	"media-src 'self'",
	"style-src " + hashSource(styleSheet),
	"script-src " + hashSource(script),
	"base-uri 'none'",
	"form-action 'none'",
}, "; ")

func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// pageTemplates renders every page. The style sheet and the script are
// trusted constants of the package; everything else is data and escaped.
var pageTemplates = template.Must(template.New("pages").Funcs(template.FuncMap{
	"csp": func() string { return contentPolicy },
	"css": func() template.CSS { return template.CSS(styleSheet) },
	"js":  func() template.JS { return template.JS(script) },
}).ParseFS(templateFS, "assets/pages.tmpl"))
