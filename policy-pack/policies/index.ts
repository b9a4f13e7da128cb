import type { Policies } from "@pulumi/policy";
import { adminScopesNeedApproval } from "./admin-scopes-need-approval";
import { executeKeysRotateInPlace } from "./execute-keys-rotate-in-place";
import { keysBoundToProjects } from "./keys-bound-to-projects";
import { keysMustExpire } from "./keys-must-expire";
import { maxAdminKeysPerStack } from "./max-admin-keys-per-stack";
import { maxScopesPerKey } from "./max-scopes-per-key";
import { noCatchAllReferrers } from "./no-catch-all-referrers";
import { noOpenNetworks } from "./no-open-networks";
import { noWildcardScopes } from "./no-wildcard-scopes";
import { privilegedKeysNeedIpRestrictions } from "./privileged-keys-need-ip-restrictions";
import { privilegedKeysRateLimited } from "./privileged-keys-rate-limited";
import { privilegedKeysRotate } from "./privileged-keys-rotate";
import { scopeAllowList } from "./scope-allow-list";

export * from "./admin-scopes-need-approval";
export * from "./execute-keys-rotate-in-place";
export * from "./keys-bound-to-projects";
export * from "./keys-must-expire";
export * from "./max-admin-keys-per-stack";
export * from "./max-scopes-per-key";
export * from "./no-catch-all-referrers";
export * from "./no-open-networks";
export * from "./no-wildcard-scopes";
export * from "./privileged-keys-need-ip-restrictions";
export * from "./privileged-keys-rate-limited";
export * from "./privileged-keys-rotate";
export * from "./scope-allow-list";

/** Every policy of the pack, in the order the README documents them. */
export const policies: Policies = [
  noWildcardScopes,
  adminScopesNeedApproval,
  scopeAllowList,
  maxScopesPerKey,
  keysMustExpire,
  privilegedKeysRotate,
  executeKeysRotateInPlace,
  privilegedKeysNeedIpRestrictions,
  noOpenNetworks,
  noCatchAllReferrers,
  privilegedKeysRateLimited,
  keysBoundToProjects,
  maxAdminKeysPerStack,
];
