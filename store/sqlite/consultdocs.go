package sqlite

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/crmbot/crmbot/crm"
)

// consultantDocs remembers, per consultant, the last document read and
// what it decoded to: her record is read on every update (GetVisitor),
// nearly always unchanged, and decoding its JSON cost more than the read
// itself (/help: 5 of the visitor's 19 µs). An entry answers only for the
// very bytes it was decoded from, so whatever wrote the row, and whichever
// process, the next read that finds other bytes decodes them.
type consultantDocs struct {
	mu sync.Mutex
	m  map[int64]consultantDoc
}

type consultantDoc struct {
	raw []byte
	c   crm.Consultant // never handed out: callers get clones
}

// maxConsultantDocs bounds the entries (about a kilobyte each); past it
// they are dropped all at once.
const maxConsultantDocs = 4096

// decode returns the consultant raw holds, the document of consultant id.
func (d *consultantDocs) decode(id int64, raw []byte) (crm.Consultant, error) {
	d.mu.Lock()
	e, ok := d.m[id]
	d.mu.Unlock()
	if ok && bytes.Equal(e.raw, raw) {
		return e.c.Clone(), nil
	}
	var c crm.Consultant
	if err := json.Unmarshal(raw, &c); err != nil {
		return crm.Consultant{}, err
	}
	d.mu.Lock()
	if d.m == nil || len(d.m) >= maxConsultantDocs {
		d.m = make(map[int64]consultantDoc)
	}
	d.m[id] = consultantDoc{raw: bytes.Clone(raw), c: c.Clone()}
	d.mu.Unlock()
	return c, nil
}
