import {
  SETTING_LABELS,
  type Change,
  type Operation,
  type ResourceReview,
  type ReviewReport,
} from "../model";
import { changeLine, escalationLine, operationText, previewErrorLine, typeText, verdict } from "./common";

/** The report for a terminal; ANSI colour only when asked for (the CLI asks on a TTY without NO_COLOR). */

export interface TextOptions {
  color?: boolean;
}

type Paint = (text: string) => string;

const ANSI = {
  bold: "1",
  red: "31",
  green: "32",
  yellow: "33",
  magenta: "35",
  cyan: "36",
  dim: "2",
} as const;

function painter(enabled: boolean) {
  return (...styles: (keyof typeof ANSI)[]): Paint =>
    enabled
      ? (text) => `\u001b[${styles.map((style) => ANSI[style]).join(";")}m${text}\u001b[0m`
      : (text) => text;
}

const SYMBOLS: Record<Operation, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  import: "=",
};

/** Report text with `code` marks dropped, control characters removed, on one line. */
function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, "$1").replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

export function renderText(report: ReviewReport, options: TextOptions = {}): string {
  const paint = painter(options.color ?? false);
  const opColor: Record<Operation, Paint> = {
    create: paint("green"),
    update: paint("yellow"),
    replace: paint("magenta"),
    delete: paint("red"),
    import: paint("cyan"),
  };
  const verdictColor = (change: Change): Paint =>
    change.escalation
      ? paint("red", "bold")
      : change.effect === "stricter"
        ? paint("green")
        : change.effect === "unknown"
          ? paint("cyan")
          : (text) => text;

  const lines: string[] = [];
  lines.push(
    paint("bold")(`Admin.do API key review${report.stack ? ` (stack ${plain(report.stack)})` : ""}`),
  );
  const escalations = escalationLine(report);
  lines.push(
    `${report.summary.escalations ? paint("red", "bold")(escalations) : escalations} ${changeLine(report)}`,
  );
  const errors = previewErrorLine(report);
  if (errors) lines.push(paint("yellow")(errors));

  if (report.escalations.length) {
    lines.push("", paint("bold")("Escalations"));
    for (const escalation of report.escalations) {
      lines.push(
        `  ${paint("red", "bold")("!")} ${plain(escalation.name)} (${escalation.type}, ${escalation.op}): ${plain(escalation.reason)}`,
      );
    }
  }

  for (const resource of report.resources) lines.push("", ...resourceLines(resource));
  return `${lines.join("\n")}\n`;

  function resourceLines(resource: ResourceReview): string[] {
    const color = opColor[resource.op];
    const head = `${color(SYMBOLS[resource.op].padEnd(2))} ${paint("bold")(plain(resource.name))}  ${plain(typeText(resource))}  ${color(plain(operationText(resource)))}`;
    const out = [head];
    const width = Math.max(0, ...resource.changes.map((change) => SETTING_LABELS[change.setting].length));
    for (const change of resource.changes) {
      const label = SETTING_LABELS[change.setting].padEnd(width);
      out.push(`     ${label}  ${plain(change.summary)}  ${verdictColor(change)(`[${verdict(change)}]`)}`);
    }
    for (const note of resource.notes) out.push(`     ${paint("dim")(plain(note))}`);
    return out;
  }
}
