import { DAYS_OF_WEEK, type DayOfWeek } from "../../../client/schemas";
import { uncoveredNetworks, uncoveredReferrers } from "../coverage";
import { fieldText, formatRateLimit, formatTimeWindow, ratePerSecond } from "../describe";
import {
  isUnrestricted,
  type RateLimit,
  type RestrictionSettings,
  type TimeWindow,
} from "../../input/settings";
import { isOpaque, opaqueText, type Field } from "../../input/values";
import { compareSet, effectOf, opaqueFinding, type Finding } from "./finding";

/** Where, how often and when a key works: networks, referrers, rate limit, time window. */

function compareRateLimit(
  before: Field<RateLimit> | undefined,
  after: Field<RateLimit> | undefined,
  created: boolean,
): Finding | undefined {
  const text = (value: Field<RateLimit> | undefined) => fieldText(value, formatRateLimit, "no limit");
  const base = { setting: "rateLimit" as const, before: created ? null : text(before), after: text(after) };
  if (after !== undefined && isOpaque(after)) return opaqueFinding("rateLimit", base.before, after);
  if (created) {
    return after === undefined ? undefined : { ...base, summary: text(after), effect: "new", grants: [] };
  }
  if (before !== undefined && isOpaque(before)) {
    return { ...base, summary: `${base.before} → ${base.after}`, effect: "changed", grants: [] };
  }
  if (before?.requests === after?.requests && before?.period === after?.period) return undefined;
  let looser: boolean;
  if (before === undefined || after === undefined) {
    looser = after === undefined;
  } else {
    const [was, now] = [ratePerSecond(before), ratePerSecond(after)];
    // Same average: the longer period allows bigger bursts.
    looser = now > was || (now === was && after.requests > before.requests);
  }
  return {
    ...base,
    summary: after === undefined ? `removed (was ${base.before})` : `${base.before} → ${base.after}`,
    effect: looser ? "looser" : "stricter",
    grants: looser ? [base.after] : [],
  };
}

/** The (day, hour) slots a window admits: no days means every day, no hours every hour. */
function slots(window: TimeWindow): Set<number> {
  const days = window.daysOfWeek.length
    ? window.daysOfWeek.map((day) => DAYS_OF_WEEK.indexOf(day as DayOfWeek))
    : [0, 1, 2, 3, 4, 5, 6];
  const hours = window.hoursOfDay.length ? window.hoursOfDay : Array.from({ length: 24 }, (_, hour) => hour);
  return new Set(days.flatMap((day) => hours.map((hour) => day * 24 + hour)));
}

function compareTimeWindow(
  before: Field<TimeWindow> | undefined,
  after: Field<TimeWindow> | undefined,
  created: boolean,
): Finding | undefined {
  const text = (value: Field<TimeWindow> | undefined) => fieldText(value, formatTimeWindow, "any time");
  const base = {
    setting: "timeRestrictions" as const,
    before: created ? null : text(before),
    after: text(after),
  };
  if (after !== undefined && isOpaque(after)) return opaqueFinding("timeRestrictions", base.before, after);
  if (created) {
    return after === undefined ? undefined : { ...base, summary: text(after), effect: "new", grants: [] };
  }
  if (base.before === base.after) return undefined;
  const summary = after === undefined ? `removed (was ${base.before})` : `${base.before} → ${base.after}`;
  if (before !== undefined && isOpaque(before)) return { ...base, summary, effect: "changed", grants: [] };
  if (before === undefined || after === undefined) {
    const looser = after === undefined;
    return { ...base, summary, effect: looser ? "looser" : "stricter", grants: looser ? [base.after] : [] };
  }
  // In another time zone the same hours are other instants: treat every slot as new.
  const was = slots(before);
  const now = slots(after);
  const sameZone = before.timezone === after.timezone;
  const admitsMore = !sameZone || [...now].some((slot) => !was.has(slot));
  const admitsLess = !sameZone || [...was].some((slot) => !now.has(slot));
  return {
    ...base,
    summary,
    effect: effectOf(admitsMore, admitsLess),
    grants: admitsMore ? [base.after] : [],
  };
}

/**
 * Changes between two sets of restrictions. `before` is undefined for a created resource; an
 * opaque side (unknown or secret as a whole) is reported without comparison.
 */
export function compareRestrictions(
  before: Field<RestrictionSettings> | undefined,
  after: Field<RestrictionSettings>,
  created = false,
): Finding[] {
  const beforeText = before === undefined || !isOpaque(before) ? null : opaqueText(before);
  if (isOpaque(after)) return [opaqueFinding("restrictions", beforeText, after)];
  if (before !== undefined && isOpaque(before)) {
    return [
      {
        setting: "restrictions",
        summary: "changed",
        before: beforeText,
        after: null,
        effect: "changed",
        grants: [],
      },
    ];
  }
  // A resource that did not manage restrictions before starts from "none".
  const old: RestrictionSettings | undefined = created
    ? undefined
    : (before ?? { ipAddresses: [], referrers: [], rateLimit: undefined, timeRestrictions: undefined });
  const findings = [
    compareSet("ipAddresses", old?.ipAddresses, after.ipAddresses, {
      empty: "any address",
      newlyAdmitted: uncoveredNetworks,
    }),
    compareSet("referrers", old?.referrers, after.referrers, {
      empty: "any referrer",
      newlyAdmitted: uncoveredReferrers,
    }),
    compareRateLimit(old?.rateLimit, after.rateLimit, created),
    compareTimeWindow(old?.timeRestrictions, after.timeRestrictions, created),
  ];
  return findings.filter(
    (finding): finding is Finding =>
      finding !== undefined &&
      // A created resource lists only the restrictions it sets.
      !(created && finding.effect === "new" && Array.isArray(finding.after) && finding.after.length === 0),
  );
}

/** Every restriction of `before`, in one phrase: "203.0.113.0/24; shop.example.com; 600 per minute". */
export function describeRestrictions(restrictions: Field<RestrictionSettings> | undefined): string {
  if (restrictions === undefined || isUnrestricted(restrictions)) return "none";
  if (isOpaque(restrictions)) return opaqueText(restrictions);
  const parts: string[] = [];
  const list = (value: Field<string[]>) => (isOpaque(value) ? opaqueText(value) : value.join(", "));
  if (isOpaque(restrictions.ipAddresses) || restrictions.ipAddresses.length)
    parts.push(`IP ${list(restrictions.ipAddresses)}`);
  if (isOpaque(restrictions.referrers) || restrictions.referrers.length)
    parts.push(`referrers ${list(restrictions.referrers)}`);
  if (restrictions.rateLimit) parts.push(`rate ${fieldText(restrictions.rateLimit, formatRateLimit)}`);
  if (restrictions.timeRestrictions)
    parts.push(`time ${fieldText(restrictions.timeRestrictions, formatTimeWindow)}`);
  return parts.join("; ");
}
