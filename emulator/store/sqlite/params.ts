/**
 * A bound parameter the query planner cannot see: `(SELECT ?)` instead of `?`. SQLite (built with
 * STAT4, as better-sqlite3 is) lets the values bound to a plain `?` in a WHERE term compared with
 * an ORDER BY, or in LIMIT/OFFSET, shape the plan, and so re-prepares such a statement each time
 * new values are bound: about 6 µs per call on an empty table, paid by every list request. Wrapped
 * in a scalar subquery the value is opaque to the planner, which plans once; the index is used
 * all the same (check with EXPLAIN QUERY PLAN).
 */
export const PARAM = "(SELECT ?)";

/**
 * The total of a list: a first page with room to spare holds everything, so the count query is
 * needed only otherwise.
 */
export function totalOf(shown: number, limit: number, offset: number, count: () => number): number {
  return offset === 0 && shown < limit ? shown : count();
}
