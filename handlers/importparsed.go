package handlers

import (
	"slices"
	"sync"
	"time"

	"github.com/crmbot/crmbot/book"
)

// maxParsedFiles is how many previewed files keep their parsed rows in
// memory for the import she may confirm (the newest); an older one's
// import parses its file again.
const maxParsedFiles = 2

// parsedTTL is how long a preview's rows wait for her to press Import.
const parsedTTL = 30 * time.Minute

// parsedFiles are the rows of the files last previewed, by import key, so
// that the import parses no row the preview parsed. Only this process
// has them: after a restart, or from another replica, the import reads the
// file again and the result is the same.
type parsedFiles struct {
	mu    sync.Mutex
	files map[string]parsedFile
}

type parsedFile struct {
	draft importDraft // the file and the columns the rows were read with
	rows  *book.ParsedRows
	at    time.Time
}

// put keeps the rows of dr's preview under key, dropping what is stale
// and the oldest past maxParsedFiles.
func (p *parsedFiles) put(key string, dr importDraft, rows *book.ParsedRows, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.files == nil {
		p.files = map[string]parsedFile{}
	}
	p.files[key] = parsedFile{draft: dr, rows: rows, at: now}
	for len(p.files) > maxParsedFiles || p.oldestBefore(now.Add(-parsedTTL)) {
		oldest := ""
		for k, f := range p.files {
			if oldest == "" || f.at.Before(p.files[oldest].at) {
				oldest = k
			}
		}
		delete(p.files, oldest)
	}
}

func (p *parsedFiles) oldestBefore(t time.Time) bool {
	for _, f := range p.files {
		if f.at.Before(t) {
			return true
		}
	}
	return false
}

// take hands over the rows kept under key if they were read from dr's
// file with dr's columns; nil otherwise. They are taken once.
func (p *parsedFiles) take(key string, dr importDraft, now time.Time) *book.ParsedRows {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.files[key]
	delete(p.files, key)
	if !ok || f.draft.FileID != dr.FileID || !slices.Equal(f.draft.Mapping, dr.Mapping) || now.Sub(f.at) > parsedTTL {
		return nil
	}
	return f.rows
}

// drop forgets the rows kept under key (the import is cancelled).
func (p *parsedFiles) drop(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.files, key)
}
