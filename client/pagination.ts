/** The fields of a list response that pagination needs (see `pageOf` in schemas/common.ts). */
export interface PageLike<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * Walks every page of a list call, yielding items one by one, from `params.offset` (default 0)
 * until the server reports no more (octokit's `paginate.iterator`). Pages are fetched lazily: a
 * caller that stops iterating stops fetching.
 */
export async function* paginate<T, P extends { offset?: number }>(
  fetchPage: (params: P) => Promise<PageLike<T>>,
  params: P,
): AsyncGenerator<T, void, undefined> {
  let offset = params.offset ?? 0;
  for (;;) {
    const page = await fetchPage({ ...params, offset });
    yield* page.data;
    // An empty page that claims more would loop forever; treat it as the end.
    if (!page.hasMore || page.data.length === 0) return;
    offset += page.data.length;
  }
}
