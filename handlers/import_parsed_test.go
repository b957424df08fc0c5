package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/crmbot/crmbot/store"
)

// The import she confirms writes the rows her preview read: the file is
// downloaded and parsed once. After a restart the preview's rows are gone
// and the import reads the file again, with the same result.
func TestImportParsesTheFileOnceAfterItsPreview(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		restart bool
		reads   int // downloads of the file by the import
	}{
		{"same process", false, 0},
		{"after a restart", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			u := a.srv.User(731, "Әсел", "kk")
			u.Upload("contacts.csv", []byte(contactsCSV), "text/csv")
			prev := wait(t, u, "Табылған жолдар: 3")
			contains(t, prev, "Жаңа клиенттер: 2", "қатесі бар: 1", "Айгерим Нурланова, +7 701 123 45 67")
			before := a.srv.Calls("getFile")
			if tc.restart {
				a = a.restart(t)
			}
			press(t, u, prev, "Жаңаларын жүктеу (2)")
			rep := wait(t, u, "Импорт аяқталды")
			contains(t, rep, "Қосылды: 2", "Қабылданбады: 1", "Ескертулер: 1")
			// The refused row comes back whole, from either source.
			doc := u.WaitDocument(t, nil)
			if !strings.Contains(string(doc.File.Data), "87010000000") {
				t.Fatalf("rejected rows file: %q", doc.File.Data)
			}
			if got := a.srv.Calls("getFile") - before; got != tc.reads {
				t.Fatalf("the import downloaded the file %d times, want %d", got, tc.reads)
			}
			cs, total, err := a.db.ListCustomers(context.Background(), 731, store.CustomerFilter{Query: "айгерим"})
			if err != nil || total != 1 || cs[0].Email != "aigerim@mail.kz" || cs[0].Birthday.Year != 1990 || !strings.Contains(cs[0].Notes, "7272") {
				t.Fatalf("imported %+v (%v)", cs, err)
			}
		})
	}
}
