// The per-period returns every trial keeps for the overfitting statistics (deflated Sharpe, CSCV): the
// equity curve cut into equal bar buckets, one simple return per bucket, stored as little-endian float32
// (RETURN_PERIODS × 4 bytes a trial, whatever the bar count).
import { RETURN_PERIODS } from './report';

/**
 * Simple returns of `equity` over `periods` equal buckets of bars (fewer when the curve has fewer steps).
 * Bucket k spans points [b_k, b_{k+1}] with b_k = round(k · (n − 1) / periods); its return is
 * equity[b_{k+1}] / equity[b_k] − 1, so the buckets compound to the curve's total return.
 */
export function periodReturns(equity: ArrayLike<number>, periods: number = RETURN_PERIODS): Float32Array {
  if (!Number.isInteger(periods) || periods < 1) {
    throw new RangeError(`periods must be a positive integer, got ${periods}`);
  }
  const steps = equity.length - 1;
  if (steps < 1) return new Float32Array(0);
  const count = Math.min(periods, steps);
  const returns = new Float32Array(count);
  let start = equity[0]!;
  for (let k = 0; k < count; k++) {
    const end = equity[Math.round(((k + 1) * steps) / count)]!;
    // A wiped-out account stays wiped out: no return can be computed from zero equity.
    returns[k] = start > 0 ? end / start - 1 : 0;
    start = end;
  }
  return returns;
}

/** Little-endian float32 bytes, independent of the machine's byte order. */
export function encodeReturns(returns: Float32Array): Uint8Array {
  const bytes = new Uint8Array(returns.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < returns.length; i++) view.setFloat32(i * 4, returns[i]!, true);
  return bytes;
}

export function decodeReturns(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) {
    throw new RangeError(`stored returns must be whole float32 values; got ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const returns = new Float32Array(bytes.length / 4);
  for (let i = 0; i < returns.length; i++) returns[i] = view.getFloat32(i * 4, true);
  return returns;
}
