// Turns whatever a call threw (a tRPC error carrying the server's stable code, a network failure,
// anything else) into something a page can show: a sentence, the code, and per-field/per-line issues.
import { useMemo } from 'react';

/** One problem the server named: a dotted input path or a CSV line, and what is wrong there. */
export interface ServerIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface ServerErrorInfo {
  /** The server's stable code (VALIDATION_FAILED, UNAUTHORIZED, …) or NETWORK / UNKNOWN. */
  readonly code: string;
  readonly message: string;
  readonly issues: readonly ServerIssue[];
  readonly details: unknown;
  readonly requestId?: string;
  readonly httpStatus?: number;
}

/** Messages for codes whose server text is written for API users rather than for the studio. */
const STUDIO_WORDING: Record<string, string> = {
  CSRF_FAILED: 'Your session’s security token is missing or stale. Reload the page and try again.',
  RATE_LIMITED: 'Too many attempts in a short time. Wait a minute and try again.',
  NETWORK: 'Cannot reach the Candleflow server. Check that it is running and your connection is up.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function issuesFrom(details: unknown): ServerIssue[] {
  if (!isRecord(details)) return [];
  const raw = Array.isArray(details.issues) ? details.issues : [];
  const topLine = typeof details.line === 'number' ? details.line : undefined;
  const topColumn = typeof details.column === 'number' ? details.column : undefined;
  return raw.filter(isRecord).map((issue) => {
    const line = typeof issue.line === 'number' ? issue.line : topLine;
    const column = typeof issue.column === 'number' ? issue.column : topColumn;
    return {
      path: typeof issue.path === 'string' ? issue.path : '',
      message: typeof issue.message === 'string' ? issue.message : 'invalid',
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    };
  });
}

/** What went wrong, in the vocabulary of the server's error codes. */
export function describeServerError(error: unknown): ServerErrorInfo {
  if (isRecord(error) && isRecord(error.data) && typeof error.data.code === 'string') {
    const data = error.data;
    const code = data.code as string;
    const serverMessage =
      typeof data.message === 'string'
        ? data.message
        : typeof error.message === 'string'
          ? error.message
          : code;
    return {
      code,
      message: STUDIO_WORDING[code] ?? serverMessage,
      issues: issuesFrom(data.details),
      details: data.details,
      ...(typeof data.requestId === 'string' ? { requestId: data.requestId } : {}),
      ...(typeof data.httpStatus === 'number' ? { httpStatus: data.httpStatus } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  // fetch rejects with a TypeError ("Failed to fetch", "fetch failed", "NetworkError …").
  if (error instanceof TypeError && /fetch|network/i.test(message)) {
    return { code: 'NETWORK', message: STUDIO_WORDING.NETWORK as string, issues: [], details: undefined };
  }
  return { code: 'UNKNOWN', message: message || 'Something went wrong.', issues: [], details: undefined };
}

/** One line for a toast or an alert: the message, then the code (and request id for server faults). */
export function formatServerError(error: unknown): string {
  const info = describeServerError(error);
  const ref = info.requestId && info.code === 'INTERNAL' ? `, request ${info.requestId}` : '';
  return `${info.message} (${info.code}${ref})`;
}

/** Human text for one issue: "line 12, column 3: …" for files, "email: …" for form fields. */
export function formatIssue(issue: ServerIssue): string {
  if (issue.line !== undefined) {
    const column = issue.column !== undefined ? `, column ${issue.column}` : '';
    return `line ${issue.line}${column}: ${issue.message}`;
  }
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** The problems the server found for one input field, e.g. `fieldIssues(info, 'password')`. */
export function fieldIssues(info: ServerErrorInfo | null, field: string): string[] {
  if (!info) return [];
  return info.issues
    .filter((issue) => issue.path === field || issue.path.startsWith(`${field}.`))
    .map((issue) => issue.message);
}

/** React helper: the described error (or null) for a query's or mutation's `error`. */
export function useServerError(error: unknown): ServerErrorInfo | null {
  return useMemo(() => (error == null ? null : describeServerError(error)), [error]);
}
