// Small hooks shared by every page: who is signed in, and what they may do.
import { useQuery } from '@tanstack/react-query';
import { trpc } from './client';

export type MeResult = Awaited<ReturnType<typeof trpc.auth.me.query>>;
export type Me = NonNullable<MeResult['user']>;
export type Role = Me['role'];

/** Query key of auth.me; invalidate it after sign-in, sign-up, sign-out and password changes. */
export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user (data.user is null when signed out). */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: () => trpc.auth.me.query(), staleTime: 60_000 });
}

/** Viewers are read-only: no create, edit or run controls. Unknown users may do nothing. */
export function canEdit(role: Role | null | undefined): boolean {
  return role === 'trader' || role === 'admin';
}

/** True when the signed-in user may create, change or run things. */
export function useCanEdit(): boolean {
  const me = useMe();
  return canEdit(me.data?.user?.role);
}
