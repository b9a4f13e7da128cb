/**
 * The changes whose `pulumi preview --json` output test/review/fixtures/ holds. Each scenario is
 * the base program (test/e2e/fixtures/review-keys, configured by spec.json) with one kind of
 * change applied; all are previewed against the same deployed base.
 */

export interface KeySpec {
  organization: string;
  scopes: string[];
  /** The scopes become known once this other key exists (unknown during preview while it is new). */
  scopesAfter?: string;
  projects?: string[];
  restrictions?: {
    ipAddresses?: string[];
    referrers?: string[];
    rateLimit?: { requests: number; period: string };
    timeRestrictions?: { daysOfWeek?: string[]; hoursOfDay?: number[]; timezone?: string };
  };
  expiresAt?: string;
  expiresIn?: string;
  rotateBeforeExpiry?: string;
  rotationPeriod?: string;
  rotationTriggers?: Record<string, string | number | boolean>;
  rotationOverlap?: string;
  description?: string;
}

export interface RestrictionsSpec {
  /** The resource name of the ApiKey whose restrictions these are. */
  key: string;
  ipAddresses?: string[];
  referrers?: string[];
  rateLimit?: { requests: number; period: string };
  timeRestrictions?: { daysOfWeek?: string[]; hoursOfDay?: number[]; timezone?: string };
}

export interface ProgramSpec {
  keys: Record<string, KeySpec>;
  restrictions?: Record<string, RestrictionsSpec>;
}

export interface Scenario {
  /** Fixture file name, without .json. */
  name: string;
  /** What changes, in one sentence. */
  description: string;
  change: (base: ProgramSpec) => ProgramSpec;
}

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"];
const OFFICE_HOURS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];

/** The deployed program. `reportsExpiry` is a fixed future time (the API refuses past expiries). */
export function baseSpec(reportsExpiry: string): ProgramSpec {
  return {
    keys: {
      storefront: {
        organization: "acme",
        description: "Calls the storefront functions",
        scopes: ["functions:read", "functions:execute"],
        projects: ["storefront"],
        restrictions: {
          ipAddresses: ["203.0.113.0/24", "2001:db8:1::/48"],
          referrers: ["shop.example.com"],
          rateLimit: { requests: 600, period: "minute" },
          timeRestrictions: { daysOfWeek: WEEKDAYS, hoursOfDay: OFFICE_HOURS, timezone: "Europe/Berlin" },
        },
        expiresIn: "30d",
      },
      reports: {
        organization: "acme",
        scopes: ["data:read"],
        projects: ["reports"],
        expiresAt: reportsExpiry,
        rotationTriggers: { version: 1 },
      },
      ingest: {
        organization: "acme",
        scopes: ["events:read", "events:write"],
        projects: ["ingest"],
        expiresIn: "30d",
        rotateBeforeExpiry: "7d",
      },
    },
    restrictions: {
      "ingest-network": {
        key: "ingest",
        ipAddresses: ["10.20.0.0/16"],
        rateLimit: { requests: 300, period: "minute" },
      },
    },
  };
}

function edit(base: ProgramSpec, apply: (spec: ProgramSpec) => void): ProgramSpec {
  const copy = structuredClone(base);
  apply(copy);
  return copy;
}

function restrictionsOf(spec: ProgramSpec, key: string): NonNullable<KeySpec["restrictions"]> {
  return (spec.keys[key].restrictions ??= {});
}

export const SCENARIOS: Scenario[] = [
  {
    name: "no-changes",
    description: "the deployed program, unchanged",
    change: (base) => base,
  },
  {
    name: "scope-added",
    description: "a read scope is added to the reports key",
    change: (base) => edit(base, (spec) => spec.keys.reports.scopes.push("functions:read")),
  },
  {
    name: "scope-removed",
    description: "the storefront key loses functions:execute",
    change: (base) => edit(base, (spec) => (spec.keys.storefront.scopes = ["functions:read"])),
  },
  {
    name: "admin-scope-granted",
    description: "the reports key gains admin:write and functions:execute",
    change: (base) => edit(base, (spec) => spec.keys.reports.scopes.push("admin:write", "functions:execute")),
  },
  {
    name: "projects-changed",
    description: "the storefront key moves from project storefront to project checkout",
    change: (base) => edit(base, (spec) => (spec.keys.storefront.projects = ["checkout"])),
  },
  {
    name: "projects-unbound",
    description: "the reports key is no longer limited to projects",
    change: (base) => edit(base, (spec) => (spec.keys.reports.projects = [])),
  },
  {
    name: "ip-widened",
    description: "the storefront key's IPv4 range grows from a /24 to a /16",
    change: (base) =>
      edit(
        base,
        (spec) => (restrictionsOf(spec, "storefront").ipAddresses = ["203.0.0.0/16", "2001:db8:1::/48"]),
      ),
  },
  {
    name: "ip-narrowed",
    description: "the storefront key's ranges shrink (written with host bits set)",
    change: (base) =>
      edit(
        base,
        (spec) =>
          (restrictionsOf(spec, "storefront").ipAddresses = ["203.0.113.77/26", "2001:db8:1:5::1/64"]),
      ),
  },
  {
    name: "ip-removed",
    description: "the storefront key's IP restriction is dropped",
    change: (base) => edit(base, (spec) => delete restrictionsOf(spec, "storefront").ipAddresses),
  },
  {
    name: "referrers-changed",
    description: "the storefront key accepts every sub-domain of example.com instead of one site",
    change: (base) =>
      edit(
        base,
        (spec) => (restrictionsOf(spec, "storefront").referrers = ["*.example.com", "partner.example.net"]),
      ),
  },
  {
    name: "rate-limit-raised",
    description: "the storefront key's rate limit rises from 600 per minute to 100 per second",
    change: (base) =>
      edit(
        base,
        (spec) => (restrictionsOf(spec, "storefront").rateLimit = { requests: 100, period: "second" }),
      ),
  },
  {
    name: "time-window-widened",
    description: "the storefront key also works on weekends and around the clock",
    change: (base) =>
      edit(
        base,
        (spec) => (restrictionsOf(spec, "storefront").timeRestrictions = { timezone: "Europe/Berlin" }),
      ),
  },
  {
    name: "restrictions-cleared",
    description: "every inline restriction of the storefront key is removed",
    change: (base) => edit(base, (spec) => (spec.keys.storefront.restrictions = {})),
  },
  {
    name: "expiry-lengthened",
    description: "the storefront key's lifetime grows from 30d to 90d",
    change: (base) => edit(base, (spec) => (spec.keys.storefront.expiresIn = "90d")),
  },
  {
    name: "expiry-removed",
    description: "the reports key no longer expires",
    change: (base) => edit(base, (spec) => delete spec.keys.reports.expiresAt),
  },
  {
    name: "organization-changed",
    description: "the reports key moves to another organization (a replacement)",
    change: (base) => edit(base, (spec) => (spec.keys.reports.organization = "globex")),
  },
  {
    name: "rotation-trigger",
    description: "the reports key's rotation trigger changes (a replacement)",
    change: (base) => edit(base, (spec) => (spec.keys.reports.rotationTriggers = { version: 2 })),
  },
  {
    name: "overlap-adopted",
    description:
      "the reports key gains rotationOverlap: it switches to in-place rotation and is rotated once, in place",
    change: (base) => edit(base, (spec) => (spec.keys.reports.rotationOverlap = "24h")),
  },
  {
    name: "key-deleted",
    description: "the reports key is removed from the program",
    change: (base) => edit(base, (spec) => delete spec.keys.reports),
  },
  {
    name: "key-created",
    description: "two new keys: a billing admin key and a read-only key with its own restrictions resource",
    change: (base) =>
      edit(base, (spec) => {
        spec.keys["billing-admin"] = {
          organization: "acme",
          scopes: ["admin:billing", "admin:read"],
          expiresIn: "30d",
        };
        spec.keys.dashboard = {
          organization: "acme",
          scopes: ["data:read"],
          projects: ["reports"],
          expiresIn: "90d",
        };
        spec.restrictions!["dashboard-network"] = {
          key: "dashboard",
          ipAddresses: ["198.51.100.0/24"],
          referrers: ["dash.example.com"],
        };
      }),
  },
  {
    name: "unknown-scopes",
    description: "a new key's scopes depend on another new key's output, so they are unknown during preview",
    change: (base) =>
      edit(base, (spec) => {
        spec.keys.template = { organization: "acme", scopes: ["workflows:execute"], expiresIn: "30d" };
        spec.keys.mirror = {
          organization: "acme",
          scopes: ["workflows:execute", "admin:users"],
          scopesAfter: "template",
          expiresIn: "30d",
        };
      }),
  },
  {
    name: "restrictions-resource-changed",
    description: "the ingest-network restrictions widen to a /8, raise the rate limit and gain a time window",
    change: (base) =>
      edit(base, (spec) => {
        const network = spec.restrictions!["ingest-network"];
        network.ipAddresses = ["10.0.0.0/8"];
        network.rateLimit = { requests: 1000, period: "minute" };
        network.timeRestrictions = { daysOfWeek: WEEKDAYS };
      }),
  },
  {
    name: "restrictions-resource-deleted",
    description: "the ingest-network restrictions resource is removed (which clears the key's restrictions)",
    change: (base) => edit(base, (spec) => delete spec.restrictions!["ingest-network"]),
  },
  {
    name: "mixed",
    description: "several keys change at once: one narrowed, one escalated, one created, one deleted",
    change: (base) =>
      edit(base, (spec) => {
        spec.keys.storefront.scopes = ["functions:read"];
        spec.keys.ingest.scopes.push("events:trigger");
        spec.keys.ingest.expiresIn = "60d";
        delete spec.keys.reports;
        spec.keys.auditor = {
          organization: "acme",
          scopes: ["admin:read"],
          projects: ["audit"],
          expiresIn: "7d",
        };
      }),
  },
];
