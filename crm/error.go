package crm

import (
	"errors"
	"fmt"
)

// Code classifies an error for the user-facing reply.
type Code string

// Error codes. EINVALID and ENOTFOUND are shown to the user through a
// localized template; EINTERNAL is logged and answered with a generic apology.
const (
	EINVALID  Code = "invalid"
	ENOTFOUND Code = "not_found"
	ECONFLICT Code = "conflict"
	EINTERNAL Code = "internal"
)

// Error is a domain error a user can be told about. Key names the template
// (in templates/) that explains it; Args are the template's data.
type Error struct {
	Code  Code
	Key   string
	Field string
	Args  map[string]any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Key, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Key)
}

// Invalid returns an EINVALID error explained by the template key.
func Invalid(field, key string, args map[string]any) *Error {
	return &Error{Code: EINVALID, Key: key, Field: field, Args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// EINTERNAL when there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Refusal tells the chat transport what to explain to the user: the field
// at fault, the template key and its data (it makes *Error a bot.Refusal
// without crm knowing the transport).
func (e *Error) Refusal() (field, key string, args map[string]any) {
	return e.Field, e.Key, e.Args
}
