/*
 * The pack runs from wherever pulumi-admindo is installed and finds @pulumi/policy (a dependency
 * of the package) by Node's usual lookup. When it cannot, say what to install in one sentence:
 * the CLI would otherwise show a module-resolution stack trace.
 */
try {
  require.resolve("@pulumi/policy");
} catch {
  console.error(
    "The pulumi-admindo policy pack cannot find @pulumi/policy: run `npm install pulumi-admindo` " +
      "(which installs it) in the program's folder and pass --policy-pack node_modules/pulumi-admindo/policy-pack.",
  );
  process.exit(1);
}
