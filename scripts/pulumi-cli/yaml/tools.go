//go:build tools

// Package tools pins the YAML language host's main package, which scripts/ensure-pulumi.sh builds,
// so that `go mod tidy` keeps its dependencies in go.mod and go.sum. It is a module of its own
// because pulumi-yaml v1.25.0 compiles only against the Pulumi SDK it was released with (v3.206),
// not the CLI's v3.274.1; the host speaks gRPC to the CLI, so the two need not match.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
