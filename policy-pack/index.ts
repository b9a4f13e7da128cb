/**
 * The Admin.do API key policy pack. Constructing the PolicyPack starts the analyzer's gRPC server,
 * so nothing but the CLI should load this file: tests import ./policies instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("admindo-api-keys", {
  description:
    "Rejects over-broad Admin.do API keys: wildcard or unapproved scopes, keys that never expire, open networks.",
  enforcementLevel: "mandatory",
  policies,
});
