import type { Policies } from "@pulumi/policy";
import { adminScopesNeedApproval } from "./adminScopesNeedApproval";
import { executeKeysRotateInPlace } from "./executeKeysRotateInPlace";
import { keysBoundToProjects } from "./keysBoundToProjects";
import { keysMustExpire } from "./keysMustExpire";
import { maxAdminKeysPerStack } from "./maxAdminKeysPerStack";
import { maxScopesPerKey } from "./maxScopesPerKey";
import { noCatchAllReferrers } from "./noCatchAllReferrers";
import { noOpenNetworks } from "./noOpenNetworks";
import { noWildcardScopes } from "./noWildcardScopes";
import { privilegedKeysNeedIpRestrictions } from "./privilegedKeysNeedIpRestrictions";
import { privilegedKeysRateLimited } from "./privilegedKeysRateLimited";
import { privilegedKeysRotate } from "./privilegedKeysRotate";
import { scopeAllowList } from "./scopeAllowList";

export * from "./adminScopesNeedApproval";
export * from "./executeKeysRotateInPlace";
export * from "./keysBoundToProjects";
export * from "./keysMustExpire";
export * from "./maxAdminKeysPerStack";
export * from "./maxScopesPerKey";
export * from "./noCatchAllReferrers";
export * from "./noOpenNetworks";
export * from "./noWildcardScopes";
export * from "./privilegedKeysNeedIpRestrictions";
export * from "./privilegedKeysRateLimited";
export * from "./privilegedKeysRotate";
export * from "./scopeAllowList";

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
