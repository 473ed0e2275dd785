import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountSettings, FundingModel } from '../types';
import { Account } from './account';
import { BTC, ETH, fill, instruments, perpSettings, spotSettings } from './test-support/fixtures';
import { TradeTracker } from './trades';

const HOUR = 3_600_000;
const JAN_1 = Date.UTC(2024, 0, 1);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'] as const;
const STEP = 0.001;

type Command =
  | { kind: 'fill'; symbol: 0 | 1; side: 'buy' | 'sell'; steps: number; price: number }
  | { kind: 'close'; symbol: 0 | 1; price: number }
  | { kind: 'wait'; hours: number; prices: [number, number] };

const price = fc.integer({ min: 5_000, max: 20_000 }).map((cents) => cents / 100); // 50.00 … 200.00
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('fill' as const),
    symbol: fc.constantFrom(0 as const, 1 as const),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    steps: fc.integer({ min: 1, max: 30_000 }),
    price,
  }),
  fc.record({ kind: fc.constant('close' as const), symbol: fc.constantFrom(0 as const, 1 as const), price }),
  fc.record({
    kind: fc.constant('wait' as const),
    hours: fc.integer({ min: 1, max: 30 }),
    prices: fc.tuple(price, price),
  }),
);

const funding: fc.Arbitrary<FundingModel> = fc.oneof(
  fc.constant({ kind: 'none' } as const),
  fc.record({
    kind: fc.constant('fixed' as const),
    rate: fc.double({ min: -0.001, max: 0.001, noNaN: true }),
    intervalHours: fc.constantFrom(1, 4, 8),
  }),
  fc
    .array(fc.double({ min: -0.001, max: 0.001, noNaN: true }), { minLength: 1, maxLength: 40 })
    .map((rates) => ({
      kind: 'series' as const,
      points: rates.map((rate, i) => ({ time: JAN_1 + (i + 1) * 7 * HOUR, rate })),
    })),
);

const settings: fc.Arbitrary<AccountSettings> = fc.oneof(
  fc.constant(spotSettings(10_000)),
  fc.record({ leverage: fc.integer({ min: 1, max: 20 }), funding }).map((o) => perpSettings(o)),
);

describe('Account and TradeTracker together', () => {
  it('conserve money: closed trade pnl + open trade pnl = equity − initial cash', () => {
    fc.assert(
      fc.property(
        settings,
        fc.double({ min: 0, max: 0.002, noNaN: true }),
        fc.array(command, { maxLength: 40 }),
        (accountSettings, feeRate, commands) => {
          // Arrange
          const account = new Account(accountSettings, instruments(BTC, ETH));
          const tracker = new TradeTracker(instruments(BTC, ETH));
          const marks = new Map<string, number>([
            ['BTC/USDT', 100],
            ['ETH/USDT', 100],
          ]);
          let time = JAN_1;
          account.applyFunding(time, marks);

          // Act
          for (const c of commands) {
            if (c.kind === 'wait') {
              time += c.hours * HOUR;
              marks.set('BTC/USDT', c.prices[0]);
              marks.set('ETH/USDT', c.prices[1]);
              for (const charge of account.applyFunding(time, marks))
                tracker.addFunding(charge.symbol, charge.amount);
              continue;
            }
            const symbol = SYMBOLS[c.symbol];
            const held = account.position(symbol).quantity;
            if (c.kind === 'close' && held === 0) continue;
            const side = c.kind === 'close' ? (held > 0 ? 'sell' : 'buy') : c.side;
            const quantity = c.kind === 'close' ? Math.abs(held) : Math.round(c.steps) * STEP;
            const fee = quantity * c.price * feeRate;
            if (account.canFill(symbol, side, quantity, c.price, fee) !== null) continue;
            const f = fill(symbol, side, quantity, c.price, {
              fee,
              time,
              purpose: c.kind === 'close' ? 'exit' : 'entry',
            });
            account.applyFill(f);
            tracker.onFill(f);
            marks.set(symbol, c.price);
          }

          // Assert
          const closedPnl = tracker.closedTrades().reduce((sum, t) => sum + t.pnl, 0);
          const openPnl = SYMBOLS.reduce((sum, s) => sum + tracker.openPnl(s, marks.get(s)!), 0);
          const change = account.equity(marks) - accountSettings.initialCash;
          const scale = Math.max(Math.abs(change), accountSettings.initialCash);
          expect(Math.abs(closedPnl + openPnl - change)).toBeLessThanOrEqual(1e-6 * scale);
          for (const s of SYMBOLS) {
            const open = tracker.openTrades().find((t) => t.symbol === s);
            expect(open?.position ?? 0).toBe(account.position(s).quantity);
          }
          const fees = tracker.closedTrades().reduce((sum, t) => sum + t.fees, 0);
          const openFees = tracker.openTrades().reduce((sum, t) => sum + t.fees, 0);
          expect(fees + openFees).toBeCloseTo(account.feesPaid, 6);
        },
      ),
      { numRuns: 300 },
    );
  });
});
