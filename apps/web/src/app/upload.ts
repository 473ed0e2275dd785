// CSV uploads with a progress bar: the same datasets.importCsv procedure the client calls, sent with
// XMLHttpRequest because fetch cannot report upload progress.
import { browserCsrfToken, CSRF_HEADER } from '../api/csrf';

export interface ImportCsvInput {
  readonly name: string;
  readonly symbol: string;
  readonly timeframe?: string;
  readonly csv: string;
  readonly gaps?: 'keep' | 'fill';
  readonly fileName?: string;
}

/** Rejection shape matching what describeServerError reads from tRPC errors. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly data: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface UploadOptions {
  /** Fraction of the body sent, 0..1. */
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
  readonly csrfToken?: string | null;
  readonly origin?: string;
  readonly createRequest?: () => XMLHttpRequest;
}

/** Reads the tRPC response body: the procedure's data, or an UploadError with the server's code. */
export function parseTrpcResponse(status: number, text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UploadError(`The server answered ${status} with something that is not JSON.`, {
      code: 'UNKNOWN',
      httpStatus: status,
    });
  }
  const envelope = body as {
    result?: { data?: unknown };
    error?: { message?: string; data?: Record<string, unknown> };
  };
  if (envelope.error) {
    const data = envelope.error.data ?? { code: 'UNKNOWN' };
    throw new UploadError(envelope.error.message ?? 'The upload was refused.', data);
  }
  return envelope.result?.data;
}

export function uploadCsv<T = unknown>(input: ImportCsvInput, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = options.createRequest?.() ?? new XMLHttpRequest();
    const origin = options.origin ?? location.origin;
    xhr.open('POST', `${origin}/trpc/datasets.importCsv`);
    xhr.setRequestHeader('content-type', 'application/json');
    const token = options.csrfToken === undefined ? browserCsrfToken() : options.csrfToken;
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      options.onProgress?.(1);
      try {
        resolve(parseTrpcResponse(xhr.status, xhr.responseText) as T);
      } catch (error) {
        reject(error);
      }
    };
    // fetch's network failure is a TypeError; matching it lets describeServerError say NETWORK.
    xhr.onerror = () => reject(new TypeError('Network error while uploading: failed to fetch'));
    xhr.onabort = () => reject(new UploadError('Upload cancelled.', { code: 'CANCELLED' }));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(JSON.stringify(input));
  });
}

/** Offers text as a file download (strategy exports, and anything else the studio saves). */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: some browsers start reading the blob only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file's text (File.text is missing in some older engines; FileReader is not). */
export function readFileText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsText(file);
  });
}
