import { describe, expect, it } from 'vitest';
import { CSRF_HEADER, csrfHeaders, readCookie } from './csrf';

describe('readCookie', () => {
  it('finds a cookie among others and decodes it', () => {
    expect(readCookie('a=1; cf_csrf=abc%2Fdef; b=2', 'cf_csrf')).toBe('abc/def');
  });

  it('does not confuse a cookie whose name ends with the wanted one', () => {
    expect(readCookie('xcf_csrf=wrong', 'cf_csrf')).toBeNull();
  });

  it('returns null when the cookie is absent or the string is empty', () => {
    expect(readCookie('a=1', 'cf_csrf')).toBeNull();
    expect(readCookie('', 'cf_csrf')).toBeNull();
  });

  it('keeps a value that is not valid percent-encoding as it is', () => {
    expect(readCookie('cf_csrf=50%', 'cf_csrf')).toBe('50%');
  });
});

describe('csrfHeaders', () => {
  it('adds the token for a batch with a mutation', () => {
    expect(csrfHeaders(['mutation'], 't0k')).toEqual({ [CSRF_HEADER]: 't0k' });
  });

  it('adds nothing for reads or when signed out', () => {
    expect(csrfHeaders(['query', 'query'], 't0k')).toEqual({});
    expect(csrfHeaders(['mutation'], null)).toEqual({});
  });
});
