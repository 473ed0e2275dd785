// Renders a shell page as a given user, with a fresh query cache and no retries.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ME_KEY } from '../../api/hooks';

export function makeUser(role: 'admin' | 'trader' | 'viewer', email = `${role}@example.com`) {
  return { id: `u-${role}`, email, role, createdAt: '2030-01-01T00:00:00.000Z' };
}

export function renderAs(user: ReturnType<typeof makeUser> | null, ui: ReactElement) {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: Number.POSITIVE_INFINITY },
      mutations: { retry: false },
    },
  });
  queryClient.setQueryData(ME_KEY, {
    user,
    via: user ? 'session' : null,
    csrfToken: user ? 'csrf' : null,
    sessionExpiresAt: null,
  });
  return { queryClient, ...render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>) };
}

/** The rejection a tRPC call gives for a server error with this code (see describeServerError). */
export function serverError(code: string, message: string, details?: unknown) {
  return Object.assign(new Error(message), { data: { code, message, details, httpStatus: 400 } });
}
