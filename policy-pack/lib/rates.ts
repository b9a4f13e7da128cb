import { PERIOD_SECONDS } from "../../resource";

export type Period = keyof typeof PERIOD_SECONDS;

export function isPeriod(value: unknown): value is Period {
  return typeof value === "string" && Object.hasOwn(PERIOD_SECONDS, value);
}

/** Requests per second of `requests` per `period`, to compare limits given in different periods. */
export function perSecond(requests: number, period: Period): number {
  return requests / PERIOD_SECONDS[period];
}

/** `requests` per `period` expressed in another period, rounded to 2 decimals: 100/second -> 6000/minute. */
export function convertRate(requests: number, from: Period, to: Period): number {
  return Math.round(perSecond(requests, from) * PERIOD_SECONDS[to] * 100) / 100;
}
