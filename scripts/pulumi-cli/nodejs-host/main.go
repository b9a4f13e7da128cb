// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi engine.
//
// Why it exists: the upstream host (module
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) has no version tags and the Go
// module proxy our machines use serves none of its pseudo-versions, so it cannot be built here.
// The engine needs a host for two things this project does: running Node.js programs
// (`pulumi up/preview/destroy`) and, since Pulumi 3.221, starting Node.js policy packs
// (`--policy-pack`, through RunPlugin). This host does both by launching the entry points that ship
// in the `@pulumi/pulumi` npm package (`cmd/run`, `cmd/run-policy-pack`, `cmd/run-plugin`); all the
// SDK logic stays in that package. Anything else the protocol offers (code generation, packing,
// templates) answers "unimplemented".
//
// It is built by scripts/ensure-pulumi.sh against the same github.com/pulumi/pulumi/sdk/v3 as the
// CLI, with the CLI's version stamped into version.Version.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Exit code that @pulumi/pulumi's entry points use for "the user was already shown an actionable
// error": the engine should stop without adding a generic message of its own.
const exitCodeBail = 32

func main() {
	var tracing string
	flag.StringVar(&tracing, "tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	// Flags that older engines or project runtime options may pass; accepted so that parsing does
	// not fail. Runtime options are read from each request's ProgramInfo instead.
	flag.String("root", "", "Project root path (unused)")
	flag.Bool("typescript", true, "Use ts-node (unused: read from the request's runtime options)")
	flag.String("tsconfig", "", "tsconfig.json path (unused: read from the request's runtime options)")
	flag.String("nodeargs", "", "Node arguments (unused: read from the request's runtime options)")
	flag.String("packagemanager", "", "Package manager (unused: read from the request's runtime options)")
	flag.Parse()

	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", tracing)

	host := &nodeHost{tracing: tracing}
	if args := flag.Args(); len(args) > 0 {
		host.engineAddress = args[0]
	}

	cancel := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}

	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	tracing       string
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *nodeHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// runtimeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml that matter here.
type runtimeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	packagemanager string
}

func parseOptions(s *structpb.Struct) runtimeOptions {
	opts := runtimeOptions{typescript: true}
	if s == nil {
		return opts
	}
	m := s.AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = v
	}
	if v, ok := m["packagemanager"].(string); ok {
		opts.packagemanager = v
	}
	return opts
}

// programDir picks the directory of the program (or plugin) from a request.
func programDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	if fallback != "" {
		return fallback
	}
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	return wd
}

// resolveModule asks node where `module` resolves from dir, so that workspaces, hoisting and
// symlinked installs resolve exactly as they do for the program itself.
func resolveModule(ctx context.Context, nodeBin, dir, module string) (string, error) {
	// #nosec G204 -- fixed script, module and dir are passed through the environment.
	cmd := exec.CommandContext(ctx, nodeBin, "-e",
		"process.stdout.write(require.resolve(process.env.PULUMI_RESOLVE_MODULE,"+
			" {paths: [process.env.PULUMI_RESOLVE_FROM]}))")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PULUMI_RESOLVE_MODULE="+module, "PULUMI_RESOLVE_FROM="+dir)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from %s; has `npm install` (or `npm ci`) been run there? (%w)",
			module, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func findNode() (string, error) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return "", fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	return nodeBin, nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	nodeBin, err := findNode()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	dir := programDir(req.GetInfo(), req.GetPwd())
	opts := parseOptions(req.GetInfo().GetOptions())

	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		if runPath, err = resolveModule(ctx, nodeBin, dir, "@pulumi/pulumi/cmd/run"); err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
	}

	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("invalid nodeargs runtime option: %v", err)}, nil
	}
	args = append(args, runPath)
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	pwd := req.GetPwd()
	if pwd == "" {
		pwd = dir
	}
	add("pwd", pwd)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetQueryMode() {
		args = append(args, "--query-mode", "true")
	}
	if req.GetParallel() > 0 {
		add("parallel", fmt.Sprint(req.GetParallel()))
	}
	add("tracing", h.tracing)
	add("root-directory", req.GetInfo().GetRootDirectory())
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram()
	}
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	configJSON, err := json.Marshal(nonNilMap(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	logging.V(5).Infof("pulumi-language-nodejs: running %s %s", nodeBin, strings.Join(args, " "))
	// #nosec G204 -- runs the user's own program, as every Pulumi language host does.
	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second

	err = cmd.Run()
	// Node may leave writes buffered; make sure the engine sees all of the program's output.
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		switch code := exitErr.ExitCode(); code {
		case exitCodeBail:
			return &pulumirpc.RunResponse{Bail: true}, nil
		case 0:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", err)}, nil
		default:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
		}
	}
	return &pulumirpc.RunResponse{
		Error: fmt.Sprintf("Problem executing program (could not run node): %v", err),
	}, nil
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// streamWriter forwards a child's output to a gRPC stream; send is called under a shared lock
// because a gRPC stream must not be written from two goroutines at once.
type streamWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w streamWriter) Write(p []byte) (int, error) {
	buf := make([]byte, len(p))
	copy(buf, p)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.send(buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	ctx := server.Context()
	nodeBin, err := findNode()
	if err != nil {
		return err
	}
	dir := programDir(req.GetInfo(), req.GetPwd())
	opts := parseOptions(req.GetInfo().GetOptions())

	module := "@pulumi/pulumi/cmd/run-plugin"
	if req.GetKind() == "analyzer" {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	script, err := resolveModule(ctx, nodeBin, dir, module)
	if err != nil {
		return err
	}

	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return fmt.Errorf("invalid nodeargs runtime option: %w", err)
	}
	args = append(args, script)
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	if req.GetKind() == "analyzer" {
		// run-policy-pack: <engine-address> <program>; the engine passes its address in Args.
		args = append(args, req.GetArgs()...)
		args = append(args, entry)
	} else {
		// run-plugin: <program> [plugin args...]
		args = append(args, "--pwd", dir, entry)
		args = append(args, req.GetArgs()...)
	}

	env := append(os.Environ(), req.GetEnv()...)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	var mu sync.Mutex
	stdout := streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}

	logging.V(5).Infof("pulumi-language-nodejs: plugin %s %s", nodeBin, strings.Join(args, " "))
	// #nosec G204 -- runs the plugin program the engine asked for.
	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second

	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			if ctx.Err() != nil {
				return nil // the engine is done with the plugin and cancelled the call
			}
			return fmt.Errorf("could not run plugin %s: %w", dir, err)
		}
		code = int32(exitErr.ExitCode())
	}
	if ctx.Err() != nil {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// pulumiPackageJSON is the part of a package.json that says whether a package needs a resource plugin.
type pulumiPackageJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
	Dependencies map[string]string `json:"dependencies"`
}

type pluginRef struct{ name, version, server string }

// requiredPlugins lists the resource plugins declared by packages in the nearest node_modules
// (including scoped packages), as `"pulumi": {"resource": true}` in their package.json.
func requiredPlugins(dir string) []pluginRef {
	modules := ""
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "node_modules")); err == nil && st.IsDir() {
			modules = filepath.Join(d, "node_modules")
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if modules == "" {
		return nil
	}
	var pkgDirs []string
	entries, _ := os.ReadDir(modules)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasPrefix(name, "@") {
			scoped, _ := os.ReadDir(filepath.Join(modules, name))
			for _, s := range scoped {
				pkgDirs = append(pkgDirs, filepath.Join(modules, name, s.Name()))
			}
			continue
		}
		pkgDirs = append(pkgDirs, filepath.Join(modules, name))
	}
	seen := map[pluginRef]bool{}
	var refs []pluginRef
	for _, p := range pkgDirs {
		data, err := os.ReadFile(filepath.Join(p, "package.json"))
		if err != nil {
			continue
		}
		var pkg pulumiPackageJSON
		if json.Unmarshal(data, &pkg) != nil || pkg.Pulumi == nil || !pkg.Pulumi.Resource {
			continue
		}
		ref := pluginRef{name: pkg.Pulumi.Name, version: pkg.Pulumi.Version, server: pkg.Pulumi.Server}
		if ref.name == "" {
			ref.name = strings.TrimPrefix(pkg.Name, "@pulumi/")
		}
		if ref.version == "" {
			ref.version = pkg.Version
		}
		if ref.version != "" && !strings.HasPrefix(ref.version, "v") {
			ref.version = "v" + ref.version
		}
		if !seen[ref] {
			seen[ref] = true
			refs = append(refs, ref)
		}
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].name < refs[j].name })
	return refs
}

func (h *nodeHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	var deps []*pulumirpc.PluginDependency
	for _, r := range requiredPlugins(programDir(req.GetInfo(), req.GetPwd())) {
		deps = append(deps, &pulumirpc.PluginDependency{Name: r.name, Kind: "resource", Version: r.version, Server: r.server})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: deps}, nil
}

func (h *nodeHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	var deps []*pulumirpc.PackageDependency
	for _, r := range requiredPlugins(programDir(req.GetInfo(), "")) {
		deps = append(deps, &pulumirpc.PackageDependency{Name: r.name, Kind: "resource", Version: r.version, Server: r.server})
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDir(req.GetInfo(), req.GetPwd())
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("could not read package.json in %s: %w", dir, err)
	}
	var pkg pulumiPackageJSON
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("could not parse package.json in %s: %w", dir, err)
	}
	var deps []*pulumirpc.DependencyInfo
	for name, declared := range pkg.Dependencies {
		v := declared
		if data, err := os.ReadFile(filepath.Join(dir, "node_modules", name, "package.json")); err == nil {
			var installed pulumiPackageJSON
			if json.Unmarshal(data, &installed) == nil && installed.Version != "" {
				v = installed.Version
			}
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: name, Version: v})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodeBin, err := findNode()
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, nodeBin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("could not run node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: nodeBin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (h *nodeHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// InstallDependencies runs the project's package manager (npm unless a runtime option or a lock
// file says yarn, pnpm or bun) and streams its output back to the engine.
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := programDir(req.GetInfo(), req.GetDirectory())
	pm := parseOptions(req.GetInfo().GetOptions()).packagemanager
	if pm == "" || pm == "auto" {
		pm = "npm"
		for lock, name := range map[string]string{
			"yarn.lock": "yarn", "pnpm-lock.yaml": "pnpm", "bun.lock": "bun", "bun.lockb": "bun",
		} {
			if _, err := os.Stat(filepath.Join(dir, lock)); err == nil {
				pm = name
			}
		}
	}
	bin, err := exec.LookPath(pm)
	if err != nil {
		return fmt.Errorf("could not find %s on the $PATH: %w", pm, err)
	}
	var mu sync.Mutex
	stdout := streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := streamWriter{mu: &mu, send: func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	// #nosec G204 -- runs the package manager chosen above.
	cmd := exec.CommandContext(server.Context(), bin, "install")
	cmd.Dir = dir
	cmd.Stdout = io.Writer(stdout)
	cmd.Stderr = io.Writer(stderr)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("`%s install` failed in %s: %w", pm, dir, err)
	}
	return nil
}
