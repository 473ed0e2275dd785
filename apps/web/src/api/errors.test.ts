import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { describeServerError, fieldIssues, formatIssue, formatServerError } from './errors';

/** The error a tRPC call rejects with, shaped like the server's errorFormatter output. */
function serverError(data: Record<string, unknown>, message = String(data.message ?? 'failed')) {
  return TRPCClientError.from({ error: { message, code: -32600, data } });
}

describe('describeServerError', () => {
  it('keeps the stable code, message, request id and status', () => {
    const info = describeServerError(
      serverError({
        code: 'CONFLICT',
        message: 'An account with this email already exists; sign in instead.',
        httpStatus: 409,
        requestId: 'r-1',
      }),
    );
    expect(info).toMatchObject({
      code: 'CONFLICT',
      message: 'An account with this email already exists; sign in instead.',
      httpStatus: 409,
      requestId: 'r-1',
    });
  });

  it('lists validation issues by input path', () => {
    const info = describeServerError(
      serverError({
        code: 'VALIDATION_FAILED',
        message: 'Invalid input at email: must be an email address such as ada@example.com.',
        details: {
          issues: [
            {
              path: 'email',
              code: 'invalid_format',
              message: 'must be an email address such as ada@example.com',
            },
          ],
        },
      }),
    );
    expect(info.issues).toEqual([
      { path: 'email', message: 'must be an email address such as ada@example.com' },
    ]);
    expect(fieldIssues(info, 'email')).toEqual(['must be an email address such as ada@example.com']);
    expect(fieldIssues(info, 'password')).toEqual([]);
  });

  it('carries the CSV line and column of a bad file into each issue', () => {
    const info = describeServerError(
      serverError({
        code: 'VALIDATION_FAILED',
        message: 'The CSV file is invalid: high is below low',
        details: {
          file: 'x.csv',
          line: 12,
          column: 3,
          issues: [{ path: 'csv', code: 'invalid_csv', message: 'high is below low', line: 12 }],
        },
      }),
    );
    expect(info.issues).toEqual([{ path: 'csv', message: 'high is below low', line: 12, column: 3 }]);
    expect(formatIssue(info.issues[0]!)).toBe('line 12, column 3: high is below low');
  });

  it('rewords a CSRF refusal into what the user should do', () => {
    const info = describeServerError(
      serverError({ code: 'CSRF_FAILED', message: 'Missing or wrong CSRF token: send …' }),
    );
    expect(info.code).toBe('CSRF_FAILED');
    expect(info.message).toMatch(/reload the page/i);
  });

  it('names a network failure as such', () => {
    const info = describeServerError(new TypeError('Failed to fetch'));
    expect(info.code).toBe('NETWORK');
    expect(info.message).toMatch(/cannot reach/i);
  });

  it('falls back to UNKNOWN with the thrown message', () => {
    expect(describeServerError(new Error('boom'))).toMatchObject({ code: 'UNKNOWN', message: 'boom' });
    expect(describeServerError('plain')).toMatchObject({ code: 'UNKNOWN', message: 'plain' });
  });
});

describe('formatServerError', () => {
  it('appends the code, and the request id only for server faults', () => {
    expect(
      formatServerError(serverError({ code: 'UNAUTHORIZED', message: 'Email or password is wrong.' })),
    ).toBe('Email or password is wrong. (UNAUTHORIZED)');
    expect(
      formatServerError(
        serverError({ code: 'INTERNAL', message: 'Something went wrong.', requestId: 'abc' }),
      ),
    ).toBe('Something went wrong. (INTERNAL, request abc)');
  });
});

describe('formatIssue', () => {
  it('prefixes a field path, or nothing for the whole input', () => {
    expect(formatIssue({ path: 'newPassword', message: 'too short' })).toBe('newPassword: too short');
    expect(formatIssue({ path: '', message: 'bad' })).toBe('bad');
  });
});
