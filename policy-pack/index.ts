/**
 * The Admin.do API key policy pack. Constructing the PolicyPack starts the analyzer's gRPC server,
 * so nothing but the CLI should load this file: tests import ./policies instead. The CLI runs the
 * compiled file (policy-pack/package.json points `main` at dist/), so the pack needs no TypeScript
 * toolchain where it is installed.
 */
import "./dependencies";
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("admindo-api-keys", {
  description:
    "Rejects over-broad Admin.do API keys: wildcard or unapproved scopes, keys that never expire, open networks.",
  enforcementLevel: "mandatory",
  policies,
});
