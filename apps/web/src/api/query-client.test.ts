import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { canEdit } from './hooks';
import { createQueryClient, shouldRetry } from './query-client';

const withCode = (code: string) =>
  TRPCClientError.from({ error: { message: code, code: -32600, data: { code } } });

describe('shouldRetry', () => {
  it('never retries answers that a retry cannot change', () => {
    expect(shouldRetry(0, withCode('UNAUTHORIZED'))).toBe(false);
    expect(shouldRetry(0, withCode('VALIDATION_FAILED'))).toBe(false);
    expect(shouldRetry(0, withCode('NOT_FOUND'))).toBe(false);
  });

  it('retries transient failures twice', () => {
    expect(shouldRetry(0, withCode('UNAVAILABLE'))).toBe(true);
    expect(shouldRetry(1, new TypeError('Failed to fetch'))).toBe(true);
    expect(shouldRetry(2, new TypeError('Failed to fetch'))).toBe(false);
  });

  it('is the default for queries of a new client', () => {
    expect(createQueryClient().getDefaultOptions().queries?.retry).toBe(shouldRetry);
  });
});

describe('canEdit', () => {
  it('lets traders and admins edit, not viewers or nobody', () => {
    expect(canEdit('trader')).toBe(true);
    expect(canEdit('admin')).toBe(true);
    expect(canEdit('viewer')).toBe(false);
    expect(canEdit(undefined)).toBe(false);
  });
});
