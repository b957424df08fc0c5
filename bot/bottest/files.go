package bottest

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif"  // photos are decoded to check them, as Telegram does
	_ "image/jpeg" // photos are decoded to check them, as Telegram does
	_ "image/png"  // photos are decoded to check them, as Telegram does
	"net/http"
	"path"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// File is a file held by the server: uploaded by a user (Upload) or sent
// by the bot (sendDocument, sendPhoto).
type File struct {
	ID       string // file_id
	UniqueID string // file_unique_id
	Path     string // file_path for getFile and downloads
	Name     string // file name as uploaded
	MIME     string
	Data     []byte
	URL      string // set instead of Data when the bot sent an HTTP URL
}

func (s *Server) storeFileLocked(f *File, kind string) *File {
	s.nextFile++
	n := s.nextFile
	prefix := map[string]string{"documents": "BQACAgIAAxkBAAI", "photos": "AgACAgIAAxkBAAI"}[kind]
	f.ID = fmt.Sprintf("%s%06d-bottest", prefix, n)
	f.UniqueID = fmt.Sprintf("AgAD%06d", n)
	f.Path = fmt.Sprintf("%s/file_%d%s", kind, n, path.Ext(f.Name))
	s.files[f.ID] = f
	s.byPath[f.Path] = f
	return f
}

func (s *Server) sendDocument(c *call) (any, *apiError) {
	return s.sendFile(c, "document", "documents")
}
func (s *Server) sendPhoto(c *call) (any, *apiError) { return s.sendFile(c, "photo", "photos") }

func (s *Server) sendFile(c *call, field, kind string) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.chatLocked(c)
	if e != nil {
		return nil, e
	}
	var f *File
	if up := c.files[field]; up != nil {
		if len(up.Data) == 0 {
			return nil, badRequest("file must be non-empty")
		}
		if kind == "photos" {
			if _, _, err := image.DecodeConfig(bytes.NewReader(up.Data)); err != nil {
				return nil, badRequest("IMAGE_PROCESS_FAILED")
			}
		}
		f = up
	} else if ref := c.p.Get(field); ref != "" {
		switch {
		case s.files[ref] != nil:
			f = s.files[ref]
		case strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://"):
			f = &File{Name: path.Base(ref), URL: ref}
		default:
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
	} else {
		return nil, badRequest("there is no %s in the request", field)
	}
	m, e := s.newMsgLocked(c, ch, c.p.Get("caption"), f)
	if e != nil {
		return nil, e
	}
	if f.ID == "" {
		s.storeFileLocked(f, kind)
	}
	return s.tgMessageLocked(ch, m), nil
}

// maxGetFile is Telegram's limit on files bots may download.
const maxGetFile = 20 << 20

func (s *Server) getFile(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[c.p.Get("file_id")]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if len(f.Data) > maxGetFile {
		return nil, badRequest("file is too big")
	}
	return tgbotapi.File{FileID: f.ID, FileUniqueID: f.UniqueID, FileSize: len(f.Data), FilePath: f.Path}, nil
}

// serveFile answers GET /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, p, _ := strings.Cut(rest, "/")
	if token != s.Token {
		writeError(w, &apiError{Code: http.StatusUnauthorized, Desc: "Unauthorized"})
		return
	}
	s.mu.Lock()
	f := s.byPath[p]
	s.mu.Unlock()
	if f == nil || f.URL != "" {
		writeError(w, &apiError{Code: http.StatusNotFound, Desc: "Not Found"})
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, _ = w.Write(f.Data)
}

// ExpireFiles forgets the files uploaded under name, as Telegram forgets
// old file ids: getFile refuses them from now on. It returns how many.
func (s *Server) ExpireFiles(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, f := range s.files {
		if f.Name == name {
			delete(s.files, id)
			n++
		}
	}
	return n
}
