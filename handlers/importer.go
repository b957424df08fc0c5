package handlers

import (
	"io"
	"strconv"

	"github.com/crmbot/crmbot/book"
	"github.com/crmbot/crmbot/csvio"
)

// writeRejected writes the rejected rows with their reasons as CSV; t
// localizes a reason.
func writeRejected(w io.Writer, rows []book.RejectedRow, t func(key string, args map[string]any) string) error {
	header := []string{t("import.col.line", nil), t("import.col.reason", nil), "first_name", "last_name", "middle_name",
		"full_name", "fio", "phone_1", "phone_2", "phone_3", "phone_4", "email_1", "email_2", "birthday", "address_1", "address_2", "address_3",
		"notes_1", "notes_2", "tags_1", "tags_2"}
	var out [][]string
	for _, r := range rows {
		out = append(out, append([]string{strconv.Itoa(r.Line), t(r.Problem.Key, r.Problem.Args)}, r.Raw...))
	}
	return csvio.WriteTable(w, csvio.Standard, header, out)
}
