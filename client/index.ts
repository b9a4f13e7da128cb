import { apiKeysResource, type ApiKeysResource } from "./apiKeys";
import { functionsResource, type FunctionsResource } from "./functions";
import { createTransport, type ClientOptions } from "./http";

export interface AdminClient {
  apiKeys: ApiKeysResource;
  functions: FunctionsResource;
  /** Closes the client's keep-alive connections; a caller-supplied dispatcher is left open. */
  close(): Promise<void>;
}

/**
 * A typed Admin.do API client: `createAdminClient({ baseUrl, apiKey }).apiKeys.create({...})`.
 * Parameters are validated before sending, every response is parsed with the contract's schemas,
 * failures are {@link AdminApiError}s, and connection errors, 429 and 5xx are retried.
 */
export function createAdminClient(options: ClientOptions): AdminClient {
  const transport = createTransport(options);
  return {
    apiKeys: apiKeysResource(transport.request),
    functions: functionsResource(transport.request),
    close: () => transport.close(),
  };
}

export type { ApiKeysResource } from "./apiKeys";
export type { FunctionsResource } from "./functions";
export type { ClientOptions, RequestOptions, OperationResult } from "./http";
export * from "./errors";
export { paginate, type PageLike } from "./pagination";
export {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  outcomeUnknown,
  parseRetryAfter,
  type RetryPolicy,
} from "./retry";
export { HEADERS, OPERATIONS, pathFor, type Operation, type OperationName } from "./contract";
export * from "./schemas";
