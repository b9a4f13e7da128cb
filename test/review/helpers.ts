import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { reviewText, type Format } from "../../review";
import type { ResourceReview, ReviewReport } from "../../review/output/model";

/**
 * The fixtures are real `pulumi preview --json` output, captured by test/review/capture/capture.ts
 * through the Pulumi CLI, our provider and the emulator. Tests read them as the CLI printed them.
 */
const FIXTURES = path.join(__dirname, "fixtures");

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.slice(0, -".json".length))
    .sort();
}

export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, `${name}.json`), "utf8");
}

export function review(text: string, format: Format = "json"): { report: ReviewReport; output: string } {
  return reviewText(text, { format, now: new Date("2026-11-26T21:00:00Z") });
}

export function reviewFixture(name: string): ReviewReport {
  return review(fixtureText(name)).report;
}

/** The reviewed resource called `name` (throws when the report has none). */
export function resource(report: ReviewReport, name: string): ResourceReview {
  const found = report.resources.find((item) => item.name === name);
  if (!found)
    throw new Error(
      `no resource ${name} in the report: ${report.resources.map((item) => item.name).join(", ")}`,
    );
  return found;
}

export interface RawState {
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface RawStep {
  op: string;
  urn: string;
  oldState?: RawState;
  newState?: RawState;
  replaceReasons?: string[];
  [field: string]: unknown;
}

export interface RawPreview {
  steps: RawStep[];
  [field: string]: unknown;
}

export function fixtureDocument(name: string): RawPreview {
  return JSON.parse(fixtureText(name)) as RawPreview;
}

/** The step of the resource called `name` in a parsed fixture, for building variants of real output. */
export function stepOf(document: RawPreview, name: string): RawStep {
  const step = document.steps.find((item) => item.urn.endsWith(`::${name}`));
  if (!step) throw new Error(`no step for ${name}`);
  return step;
}
