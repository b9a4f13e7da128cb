import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LogEntry } from "../client/schemas";
import { replayReferrer } from "./referrers";

/**
 * The requests of a window, kept for --verify to replay them oldest first while the log arrives
 * newest first. Entries are written in chunks to files in a private temporary directory and read
 * back one chunk at a time, last chunk first, so memory holds one chunk whatever the window's
 * size. A record keeps what the API checks a key against and nothing else: the Referer is cut to
 * scheme, host and port (no credentials, no path), and no body, header or secret is ever seen.
 */

export interface ReplayRecord {
  /** Time of the request, ms. */
  t: number;
  method: string;
  path: string;
  project: string | null;
  ip: string;
  referrer: string | null;
  /** The original denial code; null when the request was admitted. */
  denial: string | null;
}

export class Spool {
  private readonly dir = mkdtempSync(path.join(tmpdir(), "admindo-audit-"));
  private chunks = 0;
  private buffer: ReplayRecord[] = [];
  size = 0;
  /** Records of denied requests. */
  denied = 0;

  constructor(private readonly chunkSize = 5_000) {}

  add(entry: LogEntry): void {
    this.buffer.push({
      t: Date.parse(entry.timestamp),
      method: entry.method,
      path: entry.path,
      project: entry.project,
      ip: entry.ip,
      referrer: replayReferrer(entry.referrer),
      denial: entry.denialReason,
    });
    this.size++;
    if (entry.denialReason) this.denied++;
    if (this.buffer.length >= this.chunkSize) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeFileSync(this.file(this.chunks++), JSON.stringify(this.buffer), { mode: 0o600 });
    this.buffer = [];
  }

  private file(index: number): string {
    return path.join(this.dir, `chunk-${index}.json`);
  }

  /** Every record, oldest first (the reverse of the order they were added in). */
  *oldestFirst(): Generator<ReplayRecord> {
    for (let i = this.buffer.length - 1; i >= 0; i--) yield this.buffer[i];
    for (let chunk = this.chunks - 1; chunk >= 0; chunk--) {
      const records = JSON.parse(readFileSync(this.file(chunk), "utf8")) as ReplayRecord[];
      for (let i = records.length - 1; i >= 0; i--) yield records[i];
    }
  }

  /** Removes the files. */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
