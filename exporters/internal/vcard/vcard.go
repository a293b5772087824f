// Package vcard writes shared contact cards as vCard files, for the
// exporters that put contacts into files of their own.
package vcard

import (
	"strings"

	"github.com/chatferry/chatferry/model"
)

// FileName returns the file name WhatsApp gives a shared contact card:
// the contact's name (else its first number) with ".vcf".
func FileName(c *model.Contact) string {
	n := strings.TrimSpace(c.Name)
	if n == "" && len(c.Phones) > 0 {
		n = c.Phones[0]
	}
	if n == "" {
		n = "contact"
	}
	return n + ".vcf"
}

// Card returns the card of c: the raw card when the source kept it,
// otherwise a vCard 3.0 with the name and phone numbers.
func Card(c *model.Contact) string {
	if strings.TrimSpace(c.VCard) != "" {
		return c.VCard
	}
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\n")
	name := escape(c.Name)
	b.WriteString("N:;" + name + ";;;\r\nFN:" + name + "\r\n")
	for _, p := range c.Phones {
		b.WriteString("TEL;TYPE=CELL:" + escape(p) + "\r\n")
	}
	b.WriteString("END:VCARD\r\n")
	return b.String()
}

func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}
