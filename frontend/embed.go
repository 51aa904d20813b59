// Package frontend embeds the built single-page web app (frontend/dist,
// written by `npm run build`) into the kollab binary.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built web app; it holds only .gitkeep until the
// frontend was built.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	return sub
}
