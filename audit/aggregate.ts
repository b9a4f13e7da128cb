import { operationForRequest } from "../client/routes";
import { DAYS_OF_WEEK, ProjectSchema, type DayOfWeek, type LogEntry } from "../client/schemas";
import { Counter } from "./counter";
import { LocalTime } from "./localTime";
import { NONE, type Sources, type Tally } from "./model";
import { AddressGrouper, type PrefixOptions } from "./networks";
import { PeakTracker } from "./peaks";
import { referrerHost } from "./referrers";

/**
 * Streamed aggregation of one key's request log: `add` every entry (newest first, as the log
 * stream yields them), then read the totals. Nothing keeps an entry: memory grows with the
 * number of distinct addresses, projects, hosts and scopes (each list capped), never with the
 * number of requests.
 */

export interface AggregateOptions {
  prefixes: PrefixOptions;
  /** Time zone in which days and hours are counted. */
  timezone: string;
  /** The key's networks today: an address inside a narrower one is counted under it. */
  configuredNetworks?: readonly string[];
  /** Most distinct values kept per list (default 10,000). */
  limit?: number;
  /** Most distinct networks of admitted requests kept (default 50,000); past it no networks are suggested. */
  addressLimit?: number;
}

/** How many values of each list a report shows. */
export const SHOWN = 10;

class SourceTally {
  readonly addresses: Counter;
  readonly projects: Counter;
  readonly hosts: Counter;

  constructor(limit: number, addressLimit = limit) {
    this.addresses = new Counter(addressLimit);
    this.projects = new Counter(limit);
    this.hosts = new Counter(limit);
  }

  /** `project` undefined: the request named a project the API could not read; not counted. */
  add(group: string | undefined, project: string | null | undefined, host: string | undefined): void {
    this.addresses.add(group ?? "(unreadable)");
    if (project !== undefined) this.projects.add(project ?? NONE);
    this.hosts.add(host ?? NONE);
  }

  /** The sources, each list cut to `shown` values. */
  report(shown = SHOWN): Sources {
    const lists = [this.addresses, this.projects, this.hosts];
    const more = lists.reduce((sum, counter) => sum + Math.max(0, counter.size - shown), 0);
    return {
      addresses: tallies(this.addresses.top(shown)),
      projects: tallies(this.projects.top(shown)),
      referrerHosts: tallies(this.hosts.top(shown)),
      more,
    };
  }
}

function tallies(items: { value: string; requests: number }[]): Tally[] {
  return items.map(({ value, requests }) => ({ value, requests }));
}

interface ScopeTally {
  requests: number;
  lastAt: number;
  operations: Counter;
}

interface MissingTally {
  requests: number;
  operations: Counter;
  sources: SourceTally;
}

const validProjects = new Map<string, boolean>();
/** A project header the API rejects (400) stops the request before its project and scope are checked. */
function isValidProject(project: string): boolean {
  let valid = validProjects.get(project);
  if (valid === undefined) {
    valid = ProjectSchema.safeParse(project).success;
    if (validProjects.size >= 10_000) validProjects.clear();
    validProjects.set(project, valid);
  }
  return valid;
}

export class KeyUsageAggregator {
  requests = 0;
  admitted = 0;
  denied = 0;
  errors = 0;
  firstAt: number | undefined;
  lastAt: number | undefined;
  unknownOperations = 0;
  withoutReferrer = 0;
  readonly scopes = new Map<string, ScopeTally>();
  readonly missing = new Map<string, MissingTally>();
  readonly denials = new Map<string, SourceTally & { requests: number }>();
  /** Sources of admitted requests; projects only those the API could read. */
  readonly sources: SourceTally;
  readonly peaks = new PeakTracker();
  /** Admitted requests per "day hour" slot of the week. */
  readonly slots = new Counter(7 * 24);
  private readonly grouper: AddressGrouper;
  private readonly clock: LocalTime;
  private readonly limit: number;

  constructor(readonly options: AggregateOptions) {
    this.limit = options.limit ?? 10_000;
    this.sources = new SourceTally(this.limit, options.addressLimit ?? 50_000);
    this.grouper = new AddressGrouper(options.prefixes, options.configuredNetworks);
    this.clock = new LocalTime(options.timezone);
  }

  add(entry: LogEntry): void {
    const time = Date.parse(entry.timestamp);
    this.requests++;
    this.lastAt ??= time;
    this.firstAt = time;
    if (entry.status >= 400) this.errors++;
    const operation = operationForRequest(entry.method, entry.path);
    const group = this.grouper.group(entry.ip);
    const host = referrerHost(entry.referrer);

    if (entry.denialReason) {
      this.denied++;
      let denial = this.denials.get(entry.denialReason);
      if (!denial) {
        denial = Object.assign(new SourceTally(this.limit), { requests: 0 });
        this.denials.set(entry.denialReason, denial);
      }
      denial.requests++;
      denial.add(group, entry.project, host);
      if (entry.denialReason === "insufficient_scope" && operation) {
        const scope = operation.operation.scope;
        let missing = this.missing.get(scope);
        if (!missing) {
          missing = { requests: 0, operations: new Counter(), sources: new SourceTally(this.limit) };
          this.missing.set(scope, missing);
        }
        missing.requests++;
        missing.operations.add(operation.name);
        missing.sources.add(group, entry.project, host);
      }
      return;
    }

    this.admitted++;
    const projectValid = entry.project === null || isValidProject(entry.project);
    this.sources.add(group, projectValid ? entry.project : undefined, host);
    if (!host) this.withoutReferrer++;
    this.peaks.add(time);
    const { day, hour } = this.clock.of(time);
    this.slots.add(`${day} ${hour}`);
    if (!operation) {
      this.unknownOperations++;
    } else if (projectValid) {
      const scope = operation.operation.scope;
      let use = this.scopes.get(scope);
      if (!use) {
        use = { requests: 0, lastAt: time, operations: new Counter() };
        this.scopes.set(scope, use);
      }
      use.requests++;
      use.operations.add(operation.name);
    }
  }

  /** Admitted requests per weekday and hour, Monday first. */
  slotList(): { day: DayOfWeek; hour: number; requests: number }[] {
    return this.slots
      .top()
      .map(({ value, requests }) => {
        const [day, hour] = value.split(" ");
        return { day: day as DayOfWeek, hour: Number(hour), requests };
      })
      .sort((a, b) => DAYS_OF_WEEK.indexOf(a.day) - DAYS_OF_WEEK.indexOf(b.day) || a.hour - b.hour);
  }
}
