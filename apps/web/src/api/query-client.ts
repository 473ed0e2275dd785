// TanStack Query's cache for the studio: short staleness, and no retries for answers that will not
// change on retry (bad input, not signed in, not found, forbidden).
import { QueryClient } from '@tanstack/react-query';
import { describeServerError } from './errors';

const PERMANENT = new Set([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CSRF_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'COMPILE_FAILED',
  'GRAPH_TOO_LARGE',
  'QUOTA_EXCEEDED',
]);

/** Retry transient failures (network, 5xx, rate limits) at most twice; never permanent ones. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  return !PERMANENT.has(describeServerError(error).code);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** The app-wide cache; tests make their own with createQueryClient(). */
export const queryClient = createQueryClient();
