package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// TestVisitorSeesOtherProcesses: GetVisitor reuses what it read until
// roles or consultants change, and a change made through another handle
// on the same file (the CLI, another instance) counts: each is seen on
// the next lookup.
func TestVisitorSeesOtherProcesses(t *testing.T) {
	ctx := context.Background()
	path := "sqlite:" + filepath.Join(t.TempDir(), "crmbot.db")
	bot, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	cli, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	const she = 42
	name := func(c *crm.Consultant) error { c.Name = "Aigerim"; return nil }
	rename := func(c *crm.Consultant) error { c.Name = "Dana"; return nil }
	steps := []struct {
		name   string
		change func() error
		want   func(t *testing.T, owner int64, consultant string)
	}{
		{"nothing yet", func() error { return nil }, expect(0, "")},
		{"a consultant record from elsewhere", func() error {
			_, err := cli.UpdateConsultant(ctx, she, crm.Consultant{ID: she}, name)
			return err
		}, expect(0, "Aigerim")},
		{"a role from elsewhere", func() error {
			return cli.PutRole(ctx, crm.Role{UserID: she, Owner: 7, Since: time.Now()})
		}, expect(7, "Aigerim")},
		{"renamed elsewhere", func() error {
			_, err := cli.UpdateConsultant(ctx, she, crm.Consultant{ID: she}, rename)
			return err
		}, expect(7, "Dana")},
		{"role deleted by hand", func() error {
			_, err := cli.write.ExecContext(ctx, `DELETE FROM roles WHERE user_id = ?`, she)
			return err
		}, expect(0, "Dana")},
		{"record deleted by hand", func() error {
			_, err := cli.write.ExecContext(ctx, `DELETE FROM consultants WHERE id = ?`, she)
			return err
		}, expect(0, "")},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.change(); err != nil {
				t.Fatal(err)
			}
			for range 2 { // read, then reused
				v, err := bot.GetVisitor(ctx, she)
				if err != nil {
					t.Fatal(err)
				}
				var got string
				if v.Consultant != nil {
					got = v.Consultant.Name
					v.Consultant.Name = "changed by the caller" // not kept
				}
				s.want(t, v.Role.Owner, got)
			}
		})
	}
}

func expect(owner int64, consultant string) func(t *testing.T, owner int64, consultant string) {
	return func(t *testing.T, gotOwner int64, gotConsultant string) {
		t.Helper()
		if gotOwner != owner || gotConsultant != consultant {
			t.Errorf("owner %d, consultant %q; want %d, %q", gotOwner, gotConsultant, owner, consultant)
		}
	}
}
