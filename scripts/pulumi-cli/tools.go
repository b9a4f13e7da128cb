//go:build tools

// Package tools pins the main packages that scripts/ensure-pulumi.sh builds,
// so that `go mod tidy` keeps their dependencies in go.mod and go.sum.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
