package html

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chatferry/chatferry/model"
)

// chatPages writes the pages of one chat. Besides the open file it keeps
// only what the current page needs: the messages already on it, for
// replies that point at them, and where the last message left off.
type chatPages struct {
	w    *Writer
	chat *model.Chat
	sum  *chatSummary

	page    int // the current page's number, from 1
	onPage  int // messages on the current page
	ordinal int // messages of the chat so far
	file    *os.File
	bw      *bufio.Writer

	lastDay    string
	lastSender model.ParticipantID
	onThisPage map[model.MessageID]replyTarget
}

// replyTarget is what a reply shows of a message on the same page.
type replyTarget struct {
	anchor  string
	sender  model.ParticipantID
	snippet string
}

func pageName(n int) string { return fmt.Sprintf("page-%04d.html", n) }

func (p *chatPages) openPage() error {
	p.page++
	p.onPage = 0
	p.lastDay, p.lastSender = "", ""
	p.onThisPage = map[model.MessageID]replyTarget{}
	f, err := os.Create(filepath.Join(p.w.dir, p.sum.Folder, pageName(p.page)))
	if err != nil {
		return err
	}
	p.file, p.bw = f, bufio.NewWriterSize(f, 64<<10)
	p.sum.Pages = append(p.sum.Pages, pageSummary{Href: p.sum.Folder + "/" + pageName(p.page), Number: p.page})
	return pageTemplates.ExecuteTemplate(p.bw, "pageStart", p.pageView(false))
}

// closePage ends the current page, with a link to the next one when more
// follows.
func (p *chatPages) closePage(more bool) error {
	if p.file == nil {
		return nil
	}
	err := pageTemplates.ExecuteTemplate(p.bw, "pageEnd", p.pageView(more))
	if ferr := p.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := p.file.Close(); err == nil {
		err = cerr
	}
	p.file, p.bw = nil, nil
	return err
}

func (p *chatPages) write(m *model.Message) error {
	if p.onPage == p.w.pageSize {
		if err := p.closePage(true); err != nil {
			return err
		}
		if err := p.openPage(); err != nil {
			return err
		}
	}
	p.onPage++
	p.ordinal++
	v, err := p.messageView(m)
	if err != nil {
		return err
	}
	p.sum.add(v, &p.sum.Pages[len(p.sum.Pages)-1])
	return pageTemplates.ExecuteTemplate(p.bw, "message", v)
}
