import { writeFileSync } from "node:fs";

/** One measured figure, against the baseline measured in the same run. */
export interface Result {
  /** What was measured, e.g. "pulumi up, 100 resources". */
  name: string;
  value: number;
  baseline: number;
  unit: string;
  /** What the baseline is, e.g. "no-op dynamic resources". */
  baselineName: string;
  /** value / baseline. */
  ratio: number;
  /** The target, as text ("≤ 1.3x"), and whether it holds; absent when there is none. */
  target?: string;
  met?: boolean;
  note?: string;
}

export function result(
  init: Omit<Result, "ratio" | "met"> & { holds?: (ratio: number, value: number) => boolean },
): Result {
  const { holds, ...rest } = init;
  const ratio = init.value / init.baseline;
  return { ...rest, ratio, ...(holds && { met: holds(ratio, init.value) }) };
}

function format(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** A plain-text table: one line per result, target and verdict last. */
export function table(results: Result[]): string {
  const rows = results.map((r) => [
    r.name,
    format(r.value, r.unit),
    `${format(r.baseline, r.unit)} (${r.baselineName})`,
    Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : "-",
    r.target ? `${r.target} ${r.met ? "met" : "MISSED"}` : "",
  ]);
  const header = ["measure", "value", "baseline", "ratio", "target"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export function writeResults(file: string, data: object): void {
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
