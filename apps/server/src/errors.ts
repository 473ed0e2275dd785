// The one error vocabulary of the API: every failure, from tRPC or a plain HTTP route, becomes
// { code, message, details?, requestId } with a stable code; unexpected errors never leak internals.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** Stable codes clients key on, with the HTTP status each one answers with. */
export const API_ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  GRAPH_TOO_LARGE: 422,
  COMPILE_FAILED: 422,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/** What every error response carries (inside tRPC's envelope for tRPC calls). */
export interface ApiErrorBody {
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly details?: unknown;
  readonly requestId?: string;
}

export interface ValidationIssue {
  /** Dotted path into the input, e.g. `graph.nodes.3.params.period`; empty for the whole input. */
  readonly path: string;
  readonly message: string;
  readonly code: string;
}

const TRPC_CODE_FOR: Record<ApiErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: 'BAD_REQUEST',
  VALIDATION_FAILED: 'BAD_REQUEST',
  MALFORMED_JSON: 'PARSE_ERROR',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  CSRF_FAILED: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  GRAPH_TOO_LARGE: 'UNPROCESSABLE_CONTENT',
  COMPILE_FAILED: 'UNPROCESSABLE_CONTENT',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  QUOTA_EXCEEDED: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

const API_CODE_FOR_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, ApiErrorCode>> = {
  BAD_REQUEST: 'BAD_REQUEST',
  PARSE_ERROR: 'MALFORMED_JSON',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'UNAVAILABLE',
};

/**
 * An expected failure with a stable code. It is a TRPCError, so procedures simply throw it; plain
 * HTTP routes throw it too and the shared error handler formats it the same way.
 */
export class ApiError extends TRPCError {
  readonly apiCode: ApiErrorCode;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super({ code: TRPC_CODE_FOR[code], message });
    this.name = 'ApiError';
    this.apiCode = code;
    this.details = details;
  }

  get status(): number {
    return API_ERROR_STATUS[this.apiCode];
  }
}

interface ZodLikeIssue {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly code: string;
  readonly keys?: readonly string[];
}

function zodIssues(error: unknown): ZodLikeIssue[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const issues = (error as { issues?: unknown }).issues;
  if (!Array.isArray(issues) || (error as Error).name !== 'ZodError') return undefined;
  return issues as ZodLikeIssue[];
}

/** Zod issues as paths a person can read; an unknown key names itself in the path. */
export function validationIssues(issues: readonly ZodLikeIssue[]): ValidationIssue[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        code: issue.code,
        message: `unknown field "${key}"; remove it`,
      }));
    }
    return [{ path: base, code: issue.code, message: issue.message }];
  });
}

function summarise(issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  if (!first) return 'The input is invalid.';
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `Invalid input at ${first.path || '(root)'}: ${first.message}${more}.`;
}

export interface NormalisedError {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** True for failures the server did not expect: log them with their stack. */
  readonly unexpected: boolean;
}

const internal = (requestId: string | undefined): NormalisedError => ({
  status: 500,
  unexpected: true,
  body: {
    code: 'INTERNAL',
    message: `Something went wrong on the server. It has been logged; quote request id ${requestId ?? 'unknown'} if you report it.`,
    ...(requestId ? { requestId } : {}),
  },
});

const withId = (body: Omit<ApiErrorBody, 'requestId'>, requestId: string | undefined): ApiErrorBody =>
  requestId ? { ...body, requestId } : body;

/** Fastify's own error codes that describe the request, not a server fault. */
const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

const FRIENDLY: Partial<Record<ApiErrorCode, (limit?: string) => string>> = {
  PAYLOAD_TOO_LARGE: () => 'The request body is larger than this server accepts; send less data per request.',
  MALFORMED_JSON: () => 'The request body is not valid JSON; check quotes, commas and brackets.',
};

/**
 * Turns anything thrown into the response a client may see. Only errors the code raised on
 * purpose (ApiError, deliberate TRPCErrors, Fastify's request errors, zod failures) keep their
 * message; everything else becomes INTERNAL with the request id.
 */
export function normaliseError(error: unknown, requestId?: string): NormalisedError {
  if (error instanceof ApiError) {
    const details = error.details === undefined ? {} : { details: error.details };
    return {
      status: error.status,
      unexpected: error.apiCode === 'INTERNAL',
      body: withId({ code: error.apiCode, message: error.message, ...details }, requestId),
    };
  }

  const direct = zodIssues(error);
  if (direct) return validationFailed(direct, requestId);

  if (error instanceof TRPCError) {
    const fromCause = zodIssues(error.cause);
    if (fromCause) return validationFailed(fromCause, requestId);
    if (error.cause instanceof ApiError) return normaliseError(error.cause, requestId);
    // tRPC reports an unparseable JSON body as BAD_REQUEST caused by JSON.parse's SyntaxError.
    if (
      error.cause instanceof SyntaxError &&
      (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR')
    ) {
      return {
        status: 400,
        unexpected: false,
        body: withId({ code: 'MALFORMED_JSON', message: FRIENDLY.MALFORMED_JSON!() }, requestId),
      };
    }
    const code = API_CODE_FOR_TRPC[error.code];
    if (!code) return internal(requestId);
    const message = FRIENDLY[code]?.() ?? error.message;
    return { status: API_ERROR_STATUS[code], unexpected: false, body: withId({ code, message }, requestId) };
  }

  if (typeof error === 'object' && error !== null) {
    const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; validation?: unknown };
    const mapped = typeof e.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
    if (mapped) {
      const message = FRIENDLY[mapped]?.() ?? String(e.message);
      return {
        status: API_ERROR_STATUS[mapped],
        unexpected: false,
        body: withId({ code: mapped, message }, requestId),
      };
    }
    // Fastify marks bad JSON as a SyntaxError with status 400.
    if (error instanceof SyntaxError && e.statusCode === 400) {
      const message = FRIENDLY.MALFORMED_JSON!();
      return { status: 400, unexpected: false, body: withId({ code: 'MALFORMED_JSON', message }, requestId) };
    }
    if (Array.isArray(e.validation)) {
      return {
        status: 400,
        unexpected: false,
        body: withId(
          { code: 'VALIDATION_FAILED', message: String(e.message), details: e.validation },
          requestId,
        ),
      };
    }
    if (e.statusCode === 429) {
      return {
        status: 429,
        unexpected: false,
        body: withId(
          { code: 'RATE_LIMITED', message: 'Too many requests; wait a minute and try again.' },
          requestId,
        ),
      };
    }
  }
  return internal(requestId);
}

function validationFailed(issues: readonly ZodLikeIssue[], requestId: string | undefined): NormalisedError {
  const details = validationIssues(issues);
  return {
    status: 400,
    unexpected: false,
    body: withId(
      { code: 'VALIDATION_FAILED', message: summarise(details), details: { issues: details } },
      requestId,
    ),
  };
}
