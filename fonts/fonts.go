// Package fonts embeds DejaVu Sans, which covers Cyrillic and every Kazakh
// letter, for the PDFs and charts crmbot draws.
package fonts

import _ "embed"

var (
	// Regular is DejaVu Sans.
	//go:embed DejaVuSans.ttf
	Regular []byte
	// Bold is DejaVu Sans Bold.
	//go:embed DejaVuSans-Bold.ttf
	Bold []byte
)
