import { OPERATIONS, templateParts, type Operation, type OperationName } from "./contract";

/**
 * From a request as the API logs it (method and path, no query) back to the contract operation
 * that served it, and so to the scope that operation requires. The table is derived from
 * OPERATIONS, never kept by hand: a route added to the contract is recognized at once.
 */

export interface MatchedOperation {
  name: OperationName;
  operation: Operation;
}

interface Route extends MatchedOperation {
  pattern: RegExp;
  /** Literal segments: when two templates match, the one with more literal segments wins. */
  literals: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An operation's path template as a pattern over paths (a parameter is one non-empty segment). */
function routeOf(name: OperationName, operation: Operation): Route {
  const parts = templateParts(operation.path);
  const literal = parts.filter((_, index) => index % 2 === 0);
  const source = parts.map((part, index) => (index % 2 === 0 ? escape(part) : "[^/]+")).join("");
  return {
    name,
    operation,
    pattern: new RegExp(`^${source}/?$`),
    literals: literal
      .join("/")
      .split("/")
      .filter((segment) => segment !== "").length,
  };
}

const ROUTES: Route[] = (Object.entries(OPERATIONS) as [OperationName, Operation][])
  .map(([name, operation]) => routeOf(name, operation))
  .sort((a, b) => b.literals - a.literals);

const cache = new Map<string, MatchedOperation | null>();

/**
 * The operation a logged request was made to (`GET /functions/fn_1` -> functions.get), or
 * undefined when no route of the contract has that method and path. A query string is ignored.
 */
export function operationForRequest(method: string, path: string): MatchedOperation | undefined {
  const bare = path.split("?", 1)[0];
  const cacheKey = `${method.toUpperCase()} ${bare}`;
  let found = cache.get(cacheKey);
  if (found === undefined) {
    const route = ROUTES.find(
      (route) => route.operation.method === method.toUpperCase() && route.pattern.test(bare),
    );
    found = route ? { name: route.name, operation: route.operation } : null;
    // Paths carry ids, so the cache could grow with every distinct id: keep it small.
    if (cache.size >= 10_000) cache.clear();
    cache.set(cacheKey, found);
  }
  return found ?? undefined;
}
