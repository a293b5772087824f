package html

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/chatferry/chatferry/model"
)

// chatPages writes the pages of one chat and its search page. Besides the
// open files it keeps only what the current page needs: the messages
// already on it, for replies that point at them, and where the last
// message left off.
type chatPages struct {
	w    *Writer
	chat *model.Chat
	sum  *chatSummary

	page    int // the current page's number, from 1
	onPage  int // messages on the current page
	ordinal int // messages of the chat so far
	file    *pageFile

	searchPage int // the current search page's number, from 1
	onSearch   int // messages on the current search page
	search     *pageFile

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

// searchName is the name of a chat's search page number n in its folder;
// the first is the one every page links to.
func searchName(n int) string {
	if n == 1 {
		return "search.html"
	}
	return fmt.Sprintf("search-%04d.html", n)
}

// start opens the chat's first page and its first search page.
func (p *chatPages) start() error {
	if err := p.openSearch(); err != nil {
		return err
	}
	return p.openPage()
}

// finish ends the last page and the last search page.
func (p *chatPages) finish() error {
	err := p.closePage(false)
	if serr := p.closeSearch(false); err == nil {
		err = serr
	}
	return err
}

func (p *chatPages) openSearch() error {
	p.searchPage++
	p.onSearch = 0
	f, err := createPage(filepath.Join(p.w.dir, p.sum.Folder, searchName(p.searchPage)))
	if err != nil {
		return err
	}
	p.search = f
	return f.execute("searchStart", p.searchView(false))
}

// closeSearch ends the current search page, with a link to the next one
// when more follows.
func (p *chatPages) closeSearch(more bool) error {
	if p.search == nil {
		return nil
	}
	err := p.search.execute("searchEnd", p.searchView(more))
	if cerr := p.search.close(); err == nil {
		err = cerr
	}
	p.search = nil
	return err
}

// abort closes the open files without finishing them.
func (p *chatPages) abort() {
	for _, f := range []*pageFile{p.file, p.search} {
		if f != nil {
			f.f.Close()
		}
	}
	p.file, p.search = nil, nil
}

func (p *chatPages) openPage() error {
	p.page++
	p.onPage = 0
	p.lastDay, p.lastSender = "", ""
	p.onThisPage = map[model.MessageID]replyTarget{}
	f, err := createPage(filepath.Join(p.w.dir, p.sum.Folder, pageName(p.page)))
	if err != nil {
		return err
	}
	p.file = f
	p.sum.Pages = append(p.sum.Pages, pageSummary{Href: p.sum.Folder + "/" + pageName(p.page), Number: p.page})
	return f.execute("pageStart", p.pageView(false))
}

// closePage ends the current page, with a link to the next one when more
// follows.
func (p *chatPages) closePage(more bool) error {
	if p.file == nil {
		return nil
	}
	err := p.file.execute("pageEnd", p.pageView(more))
	if cerr := p.file.close(); err == nil {
		err = cerr
	}
	p.file = nil
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
	if p.onSearch == p.w.searchSize {
		if err := p.closeSearch(true); err != nil {
			return err
		}
		if err := p.openSearch(); err != nil {
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
	if err := p.file.execute("message", v); err != nil {
		return err
	}
	p.onSearch++
	return p.search.execute("found", foundView{Href: pageName(p.page) + "#" + v.Anchor, Time: v.Time,
		When: v.When(), System: v.System, Sender: v.Sender, Color: v.Color, Plain: v.Plain()})
}

// foundView is one message on a chat's search page.
type foundView struct {
	Href, When, Sender, Color, Plain string
	Time                             timeView
	System                           bool
}

// pageFile is one HTML file being written.
type pageFile struct {
	f  *os.File
	bw *bufio.Writer
}

func createPage(name string) (*pageFile, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &pageFile{f: f, bw: bufio.NewWriterSize(f, 64<<10)}, nil
}

// execute renders the named template into the file.
func (pf *pageFile) execute(name string, data any) error {
	return pageTemplates.ExecuteTemplate(pf.bw, name, data)
}

func (pf *pageFile) close() error {
	err := pf.bw.Flush()
	if cerr := pf.f.Close(); err == nil {
		err = cerr
	}
	return err
}
