// Funding schedules of perpetual futures: which funding times, with which rate, fall in a time window.

import type { FundingModel } from '../types';

export interface FundingEvent {
  readonly time: number;
  /** Rate for this interval (0.0001 = 0.01%), paid by longs to shorts when positive. */
  readonly rate: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Checks a funding model once, up front, so a bad setting fails at construction rather than mid-run. */
export function validateFundingModel(model: FundingModel): void {
  if (model.kind === 'fixed') {
    if (!Number.isFinite(model.rate)) {
      throw new Error(
        `funding rate must be a finite number, got ${model.rate}: set funding.rate (0.0001 = 0.01%)`,
      );
    }
    if (!(model.intervalHours > 0 && model.intervalHours <= 24)) {
      throw new Error(
        `funding intervalHours must be in (0, 24], got ${model.intervalHours}: exchanges fund every 1, 4 or 8 hours`,
      );
    }
  } else if (model.kind === 'series') {
    model.points.forEach((point, i) => {
      if (!Number.isFinite(point.time) || !Number.isFinite(point.rate)) {
        throw new Error(`funding series point ${i} has a non-finite time or rate: fix the funding rate data`);
      }
      const previous = model.points[i - 1];
      if (previous !== undefined && point.time <= previous.time) {
        throw new Error(
          `funding series point ${i} (time ${point.time}) is not after point ${i - 1} (time ${previous.time}): ` +
            'sort the funding rates by time and remove duplicates',
        );
      }
    });
  }
}

/**
 * Funding events with `after < time <= until`. The fixed model funds every `intervalHours` counted
 * from 00:00 UTC of each day, so an interval that does not divide 24 still restarts at midnight.
 */
export function fundingEventsBetween(model: FundingModel, after: number, until: number): FundingEvent[] {
  if (until <= after) return [];
  if (model.kind === 'none') return [];
  if (model.kind === 'series') {
    const points = model.points;
    let lo = 0;
    let hi = points.length;
    // First point strictly after `after` (points are sorted; see validateFundingModel).
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]!.time <= after) lo = mid + 1;
      else hi = mid;
    }
    const events: FundingEvent[] = [];
    for (let i = lo; i < points.length && points[i]!.time <= until; i++) {
      events.push({ time: points[i]!.time, rate: points[i]!.rate });
    }
    return events;
  }
  const intervalMs = model.intervalHours * HOUR_MS;
  const events: FundingEvent[] = [];
  for (let day = Math.floor(after / DAY_MS) * DAY_MS; day <= until; day += DAY_MS) {
    for (let offset = 0; offset < DAY_MS; offset += intervalMs) {
      const time = day + offset;
      if (time > after && time <= until) events.push({ time, rate: model.rate });
    }
  }
  return events;
}
