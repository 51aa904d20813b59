// Package pdffont holds the fonts Kollab's PDFs are set in: DejaVu Sans,
// regular and bold (Bitstream Vera licence, see LICENSE in this folder:
// free to use, embed and redistribute), embedded in the binary so that no
// system font is needed. They cover Latin (every European language with
// its diacritics: "Dvořák", "Łódź"), Greek and Cyrillic; fpdf embeds the
// subset of glyphs a document uses.
package pdffont

import _ "embed"

// Name is the family name the renderers register the fonts under.
const Name = "DejaVu"

// Regular is DejaVu Sans.
//
//go:embed DejaVuSans.ttf
var Regular []byte

// Bold is DejaVu Sans Bold.
//
//go:embed DejaVuSans-Bold.ttf
var Bold []byte
