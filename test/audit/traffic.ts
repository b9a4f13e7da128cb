import type { FastifyInstance } from "fastify";
import type { CreateApiKeyParams } from "../../client/schemas";

/**
 * Generated traffic for audit tests: requests made with real keys against a real emulator, from
 * chosen addresses (IPv4, IPv6, IPv4-mapped), Referers (one carrying credentials), projects and
 * times, each with the outcome the emulator must give, so the scenario checks itself as it runs.
 */

/** The emulator's parts traffic needs: fastify's inject, and its clock. */
export interface TrafficTarget {
  app: Pick<FastifyInstance, "inject">;
  clock: { set(instant: Date): void };
}

export interface Call {
  /** Which key (a name in the secrets map given to `send`). */
  key: string;
  /** Time of the request (the emulator's clock is set to it). */
  at: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  ip: string;
  project?: string;
  referer?: string;
  /** "admitted" (any status without a denial code) or the denial code expected. */
  expect: string;
}

export interface CallResult extends Call {
  status: number;
  outcome: string;
}

/**
 * A base clock for the emulator that can stand still: while traffic is sent it is frozen, so each
 * call happens exactly at its `at` (a burst stays within its second however slow the machine);
 * thawed, time runs (the client's Retry-After waits need it).
 */
export function freezableClock() {
  let frozen: number | undefined;
  return {
    clock: () => new Date(frozen ?? Date.now()),
    freeze: () => void (frozen = Date.now()),
    thaw: () => void (frozen = undefined),
  };
}

/** A Referer with credentials, a path and a query: none of it may appear in any report. */
export const CREDENTIAL_REFERER =
  "https://alice:hunter2-referer-pass@shop.example.com/cart?session=topsecret";
export const REFERER_SECRETS = ["hunter2-referer-pass", "alice:", "topsecret", "/cart"];

/** A Monday: by default the scenario runs Monday to Saturday of that week. */
export const WEEK = "2026-03-02";

/** The Monday on or after `date` (UTC), as YYYY-MM-DD. */
export function mondayAfter(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + ((8 - day.getUTCDay()) % 7 || 7));
  return day.toISOString().slice(0, 10);
}

/** Settings of the keys the scenario uses (organization "acme"). */
export const KEYS = {
  storefront: {
    name: "storefront",
    organization: "acme",
    scopes: ["functions:read", "functions:execute", "workflows:read", "workflows:write", "data:read"],
    restrictions: {
      ipAddresses: ["203.0.113.0/24", "10.0.0.0/8", "2001:db8::/32", "192.0.2.0/24"],
      referrers: ["shop.example.com", "*.example.org"],
      rateLimit: { requests: 5, period: "second" },
      timeRestrictions: {
        daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
        hoursOfDay: [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18],
        timezone: "UTC",
      },
    },
  },
  ingest: {
    name: "ingest",
    organization: "acme",
    scopes: ["events:trigger", "events:read"],
    projects: ["shop", "blog"],
  },
  reports: { name: "reports", organization: "acme", scopes: ["data:read"] },
} satisfies Record<string, CreateApiKeyParams>;

/** Every call of the scenario in the week that starts on Monday `week`, in time order. */
export function scenario(week = WEEK): Call[] {
  const at = (day: number, time: string) =>
    new Date(Date.parse(`${week}T${time}Z`) + day * 86_400_000).toISOString();
  const shop = { project: "shop", referer: CREDENTIAL_REFERER };
  const blog = { project: "blog", referer: "https://app.example.org/checkout" };
  const calls: Call[] = [];
  const add = (call: Call, times = 1) => {
    for (let i = 0; i < times; i++) calls.push(call);
  };
  const sf = "storefront";
  // Monday: functions from two IPv4 clients and an IPv6 client, in two projects.
  add(
    {
      key: sf,
      at: at(0, "10:00:00"),
      method: "GET",
      url: "/functions",
      ip: "203.0.113.7",
      ...shop,
      expect: "admitted",
    },
    3,
  );
  add({
    key: sf,
    at: at(0, "10:05:00"),
    method: "GET",
    url: "/functions/fn_missing",
    ip: "203.0.113.9",
    ...shop,
    expect: "admitted",
  });
  add(
    {
      key: sf,
      at: at(0, "10:10:00"),
      method: "POST",
      url: "/functions/fn_1/execute",
      ip: "2001:db8:1:2::5",
      ...blog,
      expect: "admitted",
    },
    2,
  );
  add({
    key: sf,
    at: at(0, "10:11:00"),
    method: "POST",
    url: "/functions/fn_1/execute",
    ip: "2001:db8:1:2:abcd::9",
    ...blog,
    expect: "admitted",
  });
  // A workflow run the key may not make: 403 insufficient_scope, from an allowed client.
  add(
    {
      key: sf,
      at: at(0, "10:20:00"),
      method: "POST",
      url: "/workflows/wf_1/execute",
      ip: "203.0.113.7",
      ...shop,
      expect: "insufficient_scope",
    },
    3,
  );
  // From outside the key's networks, with a foreign Referer, and on a Saturday.
  add(
    {
      key: sf,
      at: at(0, "10:30:00"),
      method: "GET",
      url: "/functions",
      ip: "198.51.100.23",
      ...shop,
      expect: "ip_not_allowed",
    },
    2,
  );
  add({
    key: sf,
    at: at(0, "10:31:00"),
    method: "GET",
    url: "/functions",
    ip: "203.0.113.7",
    project: "shop",
    referer: "https://evil.example.net/",
    expect: "referrer_not_allowed",
  });
  // Tuesday afternoon: a burst of 7 within a second; the limit of 5 per second refuses 2.
  add(
    {
      key: sf,
      at: at(1, "14:00:00"),
      method: "GET",
      url: "/workflows",
      ip: "10.1.2.3",
      ...shop,
      expect: "admitted",
    },
    5,
  );
  add(
    {
      key: sf,
      at: at(1, "14:00:00"),
      method: "GET",
      url: "/workflows",
      ip: "10.1.2.3",
      ...shop,
      expect: "rate_limited",
    },
    2,
  );
  // Thursday 09:00 from an IPv4 client on a dual-stack socket (::ffff:a.b.c.d).
  add({
    key: sf,
    at: at(3, "09:00:00"),
    method: "GET",
    url: "/functions",
    ip: "::ffff:10.1.2.4",
    ...shop,
    expect: "admitted",
  });
  add({
    key: sf,
    at: at(5, "12:00:00"),
    method: "GET",
    url: "/functions",
    ip: "203.0.113.7",
    ...shop,
    expect: "outside_allowed_time",
  });

  // ingest: bound to shop and blog; used in both, refused elsewhere.
  const ingest = { key: "ingest", method: "GET" as const, url: "/events", ip: "192.0.2.10" };
  add({ ...ingest, at: at(0, "11:00:00"), project: "shop", expect: "admitted" }, 4);
  add({ ...ingest, at: at(2, "11:00:00"), project: "blog", expect: "admitted" });
  add({ ...ingest, at: at(2, "11:30:00"), project: "admin", expect: "project_not_allowed" }, 2);
  add({ ...ingest, at: at(2, "11:31:00"), expect: "project_required" });
  return calls.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Sends the calls with the given key secrets, in order, setting the emulator's clock to each new
 * time (never back to the same time: the rate limiter must see a burst as one), and fails when an
 * outcome differs from the expected one.
 */
export async function send(
  target: TrafficTarget,
  secrets: Record<string, string>,
  calls: readonly Call[],
  options: { check?: boolean } = {},
): Promise<CallResult[]> {
  const results: CallResult[] = [];
  let current: string | undefined;
  for (const call of calls) {
    if (call.at !== current) {
      target.clock.set(new Date(call.at));
      current = call.at;
    }
    const headers: Record<string, string> = { authorization: `Bearer ${secrets[call.key]}` };
    if (call.project) headers["x-admindo-project"] = call.project;
    if (call.referer) headers.referer = call.referer;
    const response = await target.app.inject({
      method: call.method,
      url: call.url,
      headers,
      remoteAddress: call.ip,
    });
    const code =
      response.statusCode >= 400 ? (response.json() as { error?: { code?: string } }).error?.code : undefined;
    const denial = code && !["not_found", "invalid_request", "execution_failed", "conflict"].includes(code);
    const outcome = denial ? code : "admitted";
    if ((options.check ?? true) && outcome !== call.expect) {
      throw new Error(
        `${call.method} ${call.url} from ${call.ip} at ${call.at}: expected ${call.expect}, got ${response.statusCode} ${response.body}`,
      );
    }
    results.push({ ...call, status: response.statusCode, outcome });
  }
  return results;
}
