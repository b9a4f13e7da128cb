import type { ApiKeysResource } from "./apiKeys";
import type { RequestOptions } from "./http";
import { paginate } from "./pagination";
import type { LogEntry, LogsParams } from "./schemas";

export interface LogStreamOptions {
  /** Entries per request (the API allows at most 100). */
  pageSize?: number;
  /**
   * A time slice holding more entries than this is split in two before it is paged through with
   * offsets. Offset pages cost the server a scan of every entry before the offset, so paging a
   * large window with offsets alone costs time quadratic in its size.
   */
  sliceLimit?: number;
  status?: LogsParams["status"];
  /** Called once, with the number of entries in the whole window, before the first is yielded. */
  onTotal?: (total: number) => void;
  request?: RequestOptions;
}

/** Milliseconds to an ISO timestamp the API reads to the millisecond. */
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Every log entry of a key between `start` and `end` (both inclusive, in ms, as the API's
 * `start`/`end` parameters are), newest first, fetched lazily: a caller that stops iterating
 * stops fetching. The window is cut into time slices small enough to page through cheaply
 * (bisecting until a slice holds at most `sliceLimit` entries, or a single millisecond); each
 * slice is then walked with `paginate`, like every list of the client. Give a window that ends
 * in the past (or now): entries logged after the first request would otherwise shift the pages.
 * Retries, 429 and Retry-After are the client's.
 */
export async function* streamLogs(
  apiKeys: Pick<ApiKeysResource, "getLogs">,
  keyId: string,
  window: { start: number; end: number },
  options: LogStreamOptions = {},
): AsyncGenerator<LogEntry, void, undefined> {
  const limit = options.pageSize ?? 100;
  const sliceLimit = Math.max(limit, options.sliceLimit ?? 2_000);
  const page = (from: number, to: number, offset: number) =>
    apiKeys.getLogs(
      keyId,
      { timeRange: { start: iso(from), end: iso(to) }, status: options.status, limit, offset },
      options.request,
    );

  async function* slice(from: number, to: number, top: boolean): AsyncGenerator<LogEntry, void, undefined> {
    const first = await page(from, to, 0);
    if (top) options.onTotal?.(first.total);
    if (first.total <= sliceLimit || to <= from) {
      yield* first.data;
      if (!first.hasMore || first.data.length === 0) return;
      yield* paginate((params: { offset?: number }) => page(from, to, params.offset ?? 0), {
        offset: first.data.length,
      });
      return;
    }
    // Newest first: the later half, then the earlier one.
    const middle = Math.floor((from + to) / 2);
    yield* slice(middle + 1, to, false);
    yield* slice(from, middle, false);
  }

  if (window.end < window.start) return;
  yield* slice(window.start, window.end, true);
}
