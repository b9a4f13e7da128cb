import type * as pulumi from "@pulumi/pulumi";

/*
 * The ApiKeyRestrictions dynamic provider object is this module's exports. The engine stores a serialized
 * provider in every resource's state (`__provider`); a provider that is the exports of a module
 * under node_modules serializes as one `require("pulumi-admindo/provider/dynamic/apiKeyRestrictions")` (about
 * 260 bytes), so a user's state never holds a copy of our code and always runs the installed
 * version. Each method loads the implementation by its package path when called: a checkout that
 * links the package to itself serializes these functions by value, and they must work there too.
 * The module paths named here and in state are public API: old states keep requiring them.
 */

export function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  return require("pulumi-admindo/provider/config").configure(req);
}

export function check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult> {
  return require("pulumi-admindo/provider/apiKeyRestrictions").check(olds, news);
}

export function diff(id: string, olds: object, news: object): Promise<pulumi.dynamic.DiffResult> {
  return require("pulumi-admindo/provider/apiKeyRestrictions").diff(id, olds, news);
}

export function create(inputs: object): Promise<pulumi.dynamic.CreateResult> {
  return require("pulumi-admindo/provider/apiKeyRestrictions").create(inputs);
}

export function read(id: string, props: object): Promise<pulumi.dynamic.ReadResult> {
  return require("pulumi-admindo/provider/apiKeyRestrictions").read(id, props);
}

export function update(id: string, olds: object, news: object): Promise<pulumi.dynamic.UpdateResult> {
  return require("pulumi-admindo/provider/apiKeyRestrictions").update(id, olds, news);
}

function remove(id: string): Promise<void> {
  return require("pulumi-admindo/provider/apiKeyRestrictions").remove(id);
}
export { remove as delete };
