// Command kollab is the single binary of the Kollab platform.
package main

import (
	"context"
	"os"

	"github.com/kollab/kollab/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
