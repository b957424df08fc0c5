package sqlite

import (
	"errors"
	"strings"

	driver "modernc.org/sqlite"

	"github.com/crmbot/crmbot/store"
)

// erasedErr maps the erasure triggers' abort (0016_erasure.sql) to
// store.ErrErased; any other error is returned as it is.
func erasedErr(err error) error {
	var e *driver.Error
	if errors.As(err, &e) && strings.Contains(e.Error(), "crmbot: customer erased") {
		return store.ErrErased
	}
	return err
}
