import { RATE_LIMIT_PERIOD_MS } from "../../client/schemas";

export type Period = keyof typeof RATE_LIMIT_PERIOD_MS;

export function isPeriod(value: unknown): value is Period {
  return typeof value === "string" && Object.hasOwn(RATE_LIMIT_PERIOD_MS, value);
}

/** Requests per second of `requests` per `period`, to compare limits given in different periods. */
export function perSecond(requests: number, period: Period): number {
  return (requests * 1000) / RATE_LIMIT_PERIOD_MS[period];
}

/** `requests` per `period` expressed in another period, rounded to 2 decimals: 100/second -> 6000/minute. */
export function convertRate(requests: number, from: Period, to: Period): number {
  return Math.round((perSecond(requests, from) * RATE_LIMIT_PERIOD_MS[to] * 100) / 1000) / 100;
}
