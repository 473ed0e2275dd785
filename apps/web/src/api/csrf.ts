// Reads the session's CSRF token from the readable cf_csrf cookie; the server refuses cookie-
// authenticated mutations without it (header over HTTP, connection param over WebSocket).

export const CSRF_COOKIE = 'cf_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of one cookie in a `document.cookie` string, or null when it is absent. */
export function readCookie(cookieString: string, name: string): string | null {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      // A cookie written by something else with a stray % is still worth echoing as-is.
      return raw;
    }
  }
  return null;
}

/** The CSRF token of the current browser session (null when signed out or outside a browser). */
export function browserCsrfToken(): string | null {
  if (typeof document === 'undefined') return null;
  return readCookie(document.cookie, CSRF_COOKIE);
}

/** Headers for a batch: the CSRF token rides on anything that changes state, never on reads. */
export function csrfHeaders(opTypes: readonly string[], token: string | null): Record<string, string> {
  if (!token || !opTypes.includes('mutation')) return {};
  return { [CSRF_HEADER]: token };
}
