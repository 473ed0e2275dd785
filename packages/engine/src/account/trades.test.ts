import { describe, expect, it } from 'vitest';
import { ETH, fill, instruments } from './test-support/fixtures';
import { TradeTracker, type TradeTrackerSnapshot } from './trades';

const S = 'ETH/USDT';

describe('TradeTracker', () => {
  it('records one trade from flat to long to flat', () => {
    const tracker = new TradeTracker(instruments(ETH));

    const onOpen = tracker.onFill(fill(S, 'buy', 2, 100, { fee: 0.2, time: 1_000, barIndex: 1 }));
    const onClose = tracker.onFill(
      fill(S, 'sell', 2, 110, { fee: 0.22, time: 5_000, barIndex: 5, purpose: 'exit' }),
    );

    expect(onOpen).toEqual([]);
    const pnl = 2 * (110 - 100) - 0.2 - 0.22; // 19.58
    expect(onClose).toEqual([
      {
        symbol: S,
        direction: 'long',
        quantity: 2,
        entryTime: 1_000,
        exitTime: 5_000,
        entryBar: 1,
        exitBar: 5,
        entryPrice: 100,
        exitPrice: 110,
        pnl: expect.closeTo(pnl, 9),
        returnPct: expect.closeTo((pnl / (100 * 2)) * 100, 9),
        fees: expect.closeTo(0.42, 12),
        funding: 0,
        exitReason: 'exit',
      },
    ]);
    expect(tracker.closedTrades()).toHaveLength(1);
    expect(tracker.openTrades()).toEqual([]);
  });

  it('records a short trade with its profit when the price falls', () => {
    const tracker = new TradeTracker(instruments(ETH));
    tracker.onFill(fill(S, 'sell', 1, 200));

    const [trade] = tracker.onFill(fill(S, 'buy', 1, 180, { purpose: 'take_profit' }));

    expect(trade?.direction).toBe('short');
    expect(trade?.pnl).toBe(1 * (200 - 180));
    expect(trade?.returnPct).toBe((20 / 200) * 100);
    expect(trade?.exitReason).toBe('take_profit');
  });

  it('keeps scale-ins and partial exits in one trade with volume-weighted prices', () => {
    const tracker = new TradeTracker(instruments(ETH));
    const fills = [
      fill(S, 'buy', 1, 100, { fee: 0.1, barIndex: 1 }),
      fill(S, 'buy', 1, 110, { fee: 0.11, barIndex: 2 }),
      fill(S, 'sell', 0.5, 120, { fee: 0.06, barIndex: 3, purpose: 'exit' }),
      fill(S, 'buy', 0.5, 115, { fee: 0.0575, barIndex: 4 }),
      fill(S, 'sell', 2, 130, { fee: 0.26, barIndex: 5, purpose: 'take_profit' }),
    ];

    const closed = fills.flatMap((f) => tracker.onFill(f));

    // Opening fills: 1@100 + 1@110 + 0.5@115 = 2.5 for 267.5; closing: 0.5@120 + 2@130 = 2.5 for 320.
    const entryPrice = (100 + 110 + 0.5 * 115) / 2.5; // 107
    const exitPrice = (0.5 * 120 + 2 * 130) / 2.5; // 128
    const fees = 0.1 + 0.11 + 0.06 + 0.0575 + 0.26;
    // Once flat, the gross profit is what the closes brought in minus what the opens cost.
    const pnl = 320 - 267.5 - fees;
    expect(closed).toHaveLength(1);
    const trade = closed[0]!;
    expect(trade.quantity).toBe(2); // the largest position: 1 + 1, then 1.5, then 2 again
    expect(trade.entryPrice).toBeCloseTo(entryPrice, 12);
    expect(trade.exitPrice).toBeCloseTo(exitPrice, 12);
    expect(trade.fees).toBeCloseTo(fees, 12);
    expect(trade.pnl).toBeCloseTo(pnl, 9);
    expect(trade.returnPct).toBeCloseTo((pnl / (entryPrice * 2)) * 100, 9);
    expect([trade.entryBar, trade.exitBar]).toEqual([1, 5]);
    expect(trade.exitReason).toBe('take_profit');
  });

  it('splits a flipping fill into two trades and apportions its fee by quantity', () => {
    const tracker = new TradeTracker(instruments(ETH));
    tracker.onFill(fill(S, 'buy', 1, 100, { fee: 0.1, barIndex: 1 }));

    const atFlip = tracker.onFill(fill(S, 'sell', 3, 110, { fee: 0.33, barIndex: 2, purpose: 'entry' }));
    const openAfterFlip = tracker.openTrades();
    const atClose = tracker.onFill(fill(S, 'buy', 2, 100, { fee: 0.2, barIndex: 3, purpose: 'exit' }));

    // The flip's 0.33 fee: 1/3 closes the long, 2/3 opens the short.
    const longFees = 0.1 + (0.33 * 1) / 3;
    const shortFees = (0.33 * 2) / 3 + 0.2;
    expect(atFlip).toHaveLength(1);
    expect(atFlip[0]).toMatchObject({
      direction: 'long',
      quantity: 1,
      exitPrice: 110,
      exitBar: 2,
      exitReason: 'entry',
    });
    expect(atFlip[0]?.fees).toBeCloseTo(longFees, 12);
    expect(atFlip[0]?.pnl).toBeCloseTo(1 * (110 - 100) - longFees, 12);
    expect(openAfterFlip).toHaveLength(1);
    expect(openAfterFlip[0]).toMatchObject({
      direction: 'short',
      position: -2,
      quantity: 2,
      entryPrice: 110,
      entryBar: 2,
    });
    expect(atClose[0]).toMatchObject({ direction: 'short', quantity: 2, entryPrice: 110, exitPrice: 100 });
    expect(atClose[0]?.fees).toBeCloseTo(shortFees, 12);
    expect(atClose[0]?.pnl).toBeCloseTo(2 * (110 - 100) - shortFees, 12);
  });

  it('attributes funding paid and received while the trade was open', () => {
    const tracker = new TradeTracker(instruments(ETH));
    tracker.onFill(fill(S, 'buy', 1, 100));
    tracker.addFunding(S, 0.02);
    tracker.addFunding(S, -0.005);

    const [trade] = tracker.onFill(fill(S, 'sell', 1, 100));

    expect(trade?.funding).toBeCloseTo(0.02 - 0.005, 15);
    expect(trade?.pnl).toBeCloseTo(0 - (0.02 - 0.005), 15);
  });

  it('refuses funding for a symbol without an open trade, except a zero amount', () => {
    const tracker = new TradeTracker(instruments(ETH));

    expect(() => tracker.addFunding(S, 0)).not.toThrow();
    expect(() => tracker.addFunding(S, 1)).toThrow(/has no open trade/);
  });

  it('marks an open trade: partial exits + open quantity at the mark − fees − funding', () => {
    const tracker = new TradeTracker(instruments(ETH));
    tracker.onFill(fill(S, 'buy', 2, 100, { fee: 0.2 }));
    tracker.onFill(fill(S, 'sell', 0.5, 120, { fee: 0.06 }));
    tracker.addFunding(S, 0.1);

    const pnl = tracker.openPnl(S, 90);

    expect(pnl).toBeCloseTo(0.5 * (120 - 100) + 1.5 * (90 - 100) - 0.26 - 0.1, 12);
    expect(tracker.openPnl('BTC/USDT', 90)).toBe(0);
    expect(tracker.openTrades()[0]).toMatchObject({ position: 1.5, quantity: 2, realisedPnl: 10 });
  });

  it('hands out trades closed since a count and the last few for sizing', () => {
    const tracker = new TradeTracker(instruments(ETH));
    for (const price of [101, 102, 103]) {
      tracker.onFill(fill(S, 'buy', 1, 100));
      tracker.onFill(fill(S, 'sell', 1, price));
    }

    expect(tracker.closedSince(1).map((t) => t.exitPrice)).toEqual([102, 103]);
    expect(tracker.lastTrades(2).map((t) => t.exitPrice)).toEqual([102, 103]);
    expect(tracker.lastTrades(10)).toHaveLength(3);
    expect(tracker.lastTrades(0)).toEqual([]);
  });

  it('refuses a fill for a symbol outside the run', () => {
    const tracker = new TradeTracker(instruments(ETH));

    expect(() => tracker.onFill(fill('BTC/USDT', 'buy', 1, 1))).toThrow(/not an instrument of this run/);
  });

  it('resumes an open trade from a JSON snapshot', () => {
    const original = new TradeTracker(instruments(ETH));
    original.onFill(fill(S, 'buy', 1, 100));
    original.onFill(fill(S, 'sell', 1, 105));
    original.onFill(fill(S, 'buy', 1, 100, { fee: 0.1 }));

    const restored = new TradeTracker(instruments(ETH));
    restored.restore(JSON.parse(JSON.stringify(original.snapshot())) as TradeTrackerSnapshot);
    const [trade] = restored.onFill(fill(S, 'sell', 1, 110));

    expect(restored.closedTrades()).toHaveLength(2);
    expect(trade?.pnl).toBeCloseTo(10 - 0.1, 12);
    expect(() => restored.restore({ ...original.snapshot(), version: 2 as 1 })).toThrow(/version 2/);
  });
});
