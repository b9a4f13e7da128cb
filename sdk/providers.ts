import type * as pulumi from "@pulumi/pulumi";

/*
 * The engine serializes these provider objects into every resource's state (`__provider`).
 * They must capture nothing: each method loads the implementation at run time from the
 * installed package, so the serialized text stays a few hundred bytes and the code that runs is
 * the installed version, never a copy frozen into state. One module-level instance each, because
 * the SDK caches serialization per provider object.
 */

export const apiKeyProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-admindo/provider/config").configure(req),
  check: (olds, news) => require("pulumi-admindo/provider/apiKey").check(olds, news),
  diff: (id, olds, news) => require("pulumi-admindo/provider/apiKey").diff(id, olds, news),
  create: (inputs) => require("pulumi-admindo/provider/apiKey").create(inputs),
  read: (id, props) => require("pulumi-admindo/provider/apiKey").read(id, props),
  update: (id, olds, news) => require("pulumi-admindo/provider/apiKey").update(id, olds, news),
  delete: (id, props) => require("pulumi-admindo/provider/apiKey").remove(id, props),
};

export const apiKeyRestrictionsProvider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-admindo/provider/config").configure(req),
  check: (olds, news) => require("pulumi-admindo/provider/apiKeyRestrictions").check(olds, news),
  diff: (id, olds, news) => require("pulumi-admindo/provider/apiKeyRestrictions").diff(id, olds, news),
  create: (inputs) => require("pulumi-admindo/provider/apiKeyRestrictions").create(inputs),
  read: (id, props) => require("pulumi-admindo/provider/apiKeyRestrictions").read(id, props),
  update: (id, olds, news) => require("pulumi-admindo/provider/apiKeyRestrictions").update(id, olds, news),
  delete: (id) => require("pulumi-admindo/provider/apiKeyRestrictions").remove(id),
};
