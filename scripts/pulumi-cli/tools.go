//go:build tools

// Package tools pins the CLI's main package, which scripts/ensure-pulumi.sh builds, so that
// `go mod tidy` keeps its dependencies in go.mod and go.sum. (The other binary, the Node.js
// language host in ./nodejs-host, is a package of this module and needs no pin.)
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
