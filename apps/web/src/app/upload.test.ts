// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { describeServerError } from '../api/errors';
import { parseTrpcResponse, UploadError, uploadCsv } from './upload';

/** Just enough of XMLHttpRequest to see what is sent and to answer it. */
class FakeXhr {
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body = '';
  withCredentials = false;
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } =
    {
      onprogress: null,
    };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: string) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const input = {
  name: 'GOOG daily',
  symbol: 'GOOG',
  csv: 'timestamp,open,high,low,close,volume\n',
  fileName: 'g.csv',
};

describe('uploadCsv', () => {
  it('posts the input to datasets.importCsv with the CSRF header and reports progress', async () => {
    const xhr = new FakeXhr();
    const progress: number[] = [];
    const done = uploadCsv(input, {
      origin: 'http://studio.test',
      csrfToken: 'tok',
      onProgress: (f) => progress.push(f),
      createRequest: () => xhr as unknown as XMLHttpRequest,
    });

    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 25, total: 100 });
    xhr.upload.onprogress?.({ lengthComputable: false, loaded: 50, total: 0 });
    xhr.respond(200, { result: { data: { id: 'd1', bars: 3 } } });

    await expect(done).resolves.toEqual({ id: 'd1', bars: 3 });
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('http://studio.test/trpc/datasets.importCsv');
    expect(xhr.headers['x-csrf-token']).toBe('tok');
    expect(JSON.parse(xhr.body)).toEqual(input);
    expect(progress).toEqual([0.25, 1]);
  });

  it('rejects with the server code and the line at fault', async () => {
    const xhr = new FakeXhr();
    const done = uploadCsv(input, { csrfToken: null, createRequest: () => xhr as unknown as XMLHttpRequest });
    xhr.respond(400, {
      error: {
        message: 'The CSV file is invalid: line 7: close is not a number',
        code: -32600,
        data: {
          code: 'VALIDATION_FAILED',
          details: { line: 7, issues: [{ path: 'csv', message: 'close is not a number', line: 7 }] },
        },
      },
    });

    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect(xhr.headers['x-csrf-token']).toBeUndefined();
    const info = describeServerError(error);
    expect(info.code).toBe('VALIDATION_FAILED');
    expect(info.issues).toEqual([{ path: 'csv', message: 'close is not a number', line: 7 }]);
  });

  it('reports a dropped connection as a network failure', async () => {
    const xhr = new FakeXhr();
    const done = uploadCsv(input, { csrfToken: null, createRequest: () => xhr as unknown as XMLHttpRequest });
    xhr.onerror?.();
    expect(describeServerError(await done.catch((e: unknown) => e)).code).toBe('NETWORK');
  });

  it('aborts when the signal fires', async () => {
    const xhr = new FakeXhr();
    const controller = new AbortController();
    const done = uploadCsv(input, {
      csrfToken: null,
      signal: controller.signal,
      createRequest: () => xhr as unknown as XMLHttpRequest,
    });
    controller.abort();
    expect(describeServerError(await done.catch((e: unknown) => e)).code).toBe('CANCELLED');
  });
});

describe('parseTrpcResponse', () => {
  it('refuses a body that is not JSON, naming the status', () => {
    expect(() => parseTrpcResponse(502, '<html>Bad gateway</html>')).toThrow(/502/);
  });
});
