import { keepPreviousData, QueryClient, useMutation, useQuery, useQueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { api, apiAll, type ApiError, type Page, type QueryParams } from '../api/client';

declare module '@tanstack/react-query' {
  interface Register {
    // Every request goes through the API client, which throws ApiError (NETWORK included).
    defaultError: ApiError;
  }
}

/**
 * The web's one cache of the API's answers. An answer is shared by everything on screen that shows it (the
 * header's counts, a page and its panels) and refreshed there when a change invalidates it; it is forgotten
 * once nothing shows it (gcTime 0), since learning progress also changes on the server without this tab
 * asking (video reports, reviews, the deadline passing) and a page opened must show the current figures, not
 * an old copy first. A list keeps its current page on screen while the next one loads; a refused request says
 * so at once (no retries), and nothing is refetched behind the user's back on focus.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { gcTime: 0, retry: false, refetchOnWindowFocus: false, placeholderData: keepPreviousData },
      mutations: { retry: false },
    },
  });
}

/**
 * The cache key of a GET: the path's segments, then its query. `/courses/7/enrollments?page=2` is
 * `['courses', '7', 'enrollments', { page: 2 }]`, so invalidating `['courses', '7']` refreshes everything
 * cached about course 7.
 */
export function apiKey(path: string, query?: QueryParams): QueryKey {
  const segments = path.split('?')[0].split('/').filter(Boolean);
  return query ? [...segments, query] : segments;
}

/** A GET of the API through the cache; `enabled: false` asks nothing (the data stays undefined). */
export function useApi<T>(path: string, query?: QueryParams, { enabled = true }: { enabled?: boolean } = {}): UseQueryResult<T> {
  return useQuery({ queryKey: apiKey(path, query), queryFn: () => api<T>(path, { query }), enabled });
}

/** Every item of a paged list (apiAll), for choices that must offer all of them. */
export function useApiAll<T>(path: string, query: QueryParams = {}, { enabled = true }: { enabled?: boolean } = {}): UseQueryResult<Page<T>> {
  return useQuery({ queryKey: apiKey(path, { ...query, all: true }), queryFn: () => apiAll<T>(path, query), enabled });
}

/** A cached value computed from the API (several requests, or none for some users), under an explicit key. */
export function useApiValue<T>(queryKey: QueryKey, load: () => Promise<T>): UseQueryResult<T> {
  return useQuery({ queryKey, queryFn: load });
}

/** Marks cached answers under these paths stale: those on screen load again, the others when next shown. */
export function useInvalidate(): (...paths: string[]) => Promise<void> {
  const client = useQueryClient();
  return (...paths) => Promise.all(paths.map((path) => client.invalidateQueries({ queryKey: apiKey(path) }))).then(() => undefined);
}

/**
 * A change sent to the API; once it succeeds, what it changed (the paths `invalidates` names for its input)
 * loads again wherever it is shown.
 */
export function useApiMutation<Input, Answer = unknown>(send: (input: Input) => Promise<Answer>, invalidates: (input: Input, answer: Answer) => string[]) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: send, onSuccess: (answer, input) => invalidate(...invalidates(input, answer)) });
}
