import { ProjectSchema } from "../../client/schemas";
import { forbidden, invalidInput, rateLimited } from "../errors";
import { keyStatus } from "../keys";
import type { KeyRecord } from "../store";
import { holdsScope } from "./privileges";
import type { RateLimiter } from "./rateLimiter";
import { ipAllowed, referrerAllowed, withinTimeWindow } from "./restrictions";

/** What the server knows about a request when it decides whether a key may make it. */
export interface RequestFacts {
  ip: string;
  referer: string | undefined;
  /** The X-Admindo-Project header; null when absent. */
  project: string | null;
  /** The scope the operation requires. */
  scope: string;
}

/**
 * Everything a key promises, checked in a fixed order: status, IP, referrer, time window, rate
 * limit, project, scope. Cheap and identity-revealing checks come first; the rate limit comes
 * after the restrictions so requests from a forbidden network cannot exhaust a key's quota.
 * Throws the ApiError of the first failed check; its code becomes the log's denialReason.
 */
export function authorize(
  key: KeyRecord,
  facts: RequestFacts,
  now: Date,
  /** Absent when re-checking a request that already took its slot. */
  limiter: RateLimiter | undefined,
): void {
  const status = keyStatus(key, now.getTime());
  if (status === "revoked") throw forbidden("key_revoked", "This API key has been revoked.");
  if (status === "expired") throw forbidden("key_expired", "This API key has expired.");

  const { ipAddresses, referrers, timeRestrictions, rateLimit } = key.restrictions;
  if (!ipAllowed(ipAddresses, facts.ip)) {
    throw forbidden("ip_not_allowed", `Requests from ${facts.ip} are not allowed for this key.`, {
      ip: facts.ip,
    });
  }
  if (!referrerAllowed(referrers, facts.referer)) {
    throw forbidden(
      "referrer_not_allowed",
      facts.referer
        ? "The Referer of this request is not allowed for this key."
        : "This key is restricted to certain referrers and the request has no Referer header.",
    );
  }
  if (!withinTimeWindow(timeRestrictions, now)) {
    throw forbidden(
      "outside_allowed_time",
      `This key may not be used at this time (time zone ${timeRestrictions?.timezone ?? "UTC"}).`,
    );
  }
  const rate = limiter ? limiter.check(key.id, rateLimit, now.getTime()) : { allowed: true as const };
  if (!rate.allowed) {
    throw rateLimited(
      `Rate limit of ${rateLimit!.requests} requests per ${rateLimit!.period} exceeded; retry in ${rate.retryAfterSeconds} s.`,
      rate.retryAfterSeconds,
      { limit: rateLimit },
    );
  }

  if (facts.project !== null) {
    const parsed = ProjectSchema.safeParse(facts.project);
    if (!parsed.success)
      throw invalidInput(parsed.error, "X-Admindo-Project header", ["headers", "x-admindo-project"]);
  }
  if (key.projects.length > 0) {
    if (facts.project === null) {
      throw forbidden(
        "project_required",
        "This key is bound to projects: name one with the X-Admindo-Project header.",
        { projects: key.projects },
      );
    }
    if (!key.projects.includes(facts.project)) {
      throw forbidden(
        "project_not_allowed",
        `This key may not act in project ${JSON.stringify(facts.project)}.`,
        { project: facts.project },
      );
    }
  }

  if (!holdsScope(key, facts.scope)) {
    throw forbidden("insufficient_scope", `This operation requires the scope ${facts.scope}.`, {
      required: facts.scope,
    });
  }
}
