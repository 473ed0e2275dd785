import { describe, expect, it } from 'vitest';
import { Account, type AccountSnapshot } from './account';
import { BTC, ETH, fill, instrument, instruments, perpSettings, spotSettings } from './test-support/fixtures';

const HOUR = 3_600_000;
const JAN_1 = Date.UTC(2024, 0, 1);
const marks = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('Account construction', () => {
  it('rejects an instrument quoted in another currency than the account', () => {
    const ethBtc = instrument('ETH/BTC', 0.001, 'BTC');

    const build = () => new Account(spotSettings(), instruments(BTC, ethBtc));

    expect(build).toThrow(
      'ETH/BTC is quoted in BTC but the account is in USDT: a run trades symbols of one quote currency',
    );
  });

  it('rejects a maintenance margin rate that would liquidate every position at entry', () => {
    // At 20x the initial margin is 1/20 = 5% of notional; a 5% maintenance rate leaves no room.
    const build = () =>
      new Account(perpSettings({ leverage: 20, maintenanceMarginRate: 0.05 }), instruments(BTC));

    expect(build).toThrow(/not below 1\/leverage/);
  });

  it('rejects a non-positive initial cash, a leverage below 1 and a bad funding interval', () => {
    expect(() => new Account(spotSettings(0), instruments(BTC))).toThrow(/initialCash/);
    expect(() => new Account(perpSettings({ leverage: 0.5 }), instruments(BTC))).toThrow(/leverage/);
    expect(
      () =>
        new Account(
          perpSettings({ funding: { kind: 'fixed', rate: 0.0001, intervalHours: 0 } }),
          instruments(BTC),
        ),
    ).toThrow(/intervalHours/);
  });
});

describe('spot account', () => {
  it('books a buy then a sell with fees into cash', () => {
    const account = new Account(spotSettings(10_000), instruments(BTC));
    const buyFee = 0.1 * 20_000 * 0.001; // 2
    const sellFee = 0.1 * 22_000 * 0.001; // 2.2

    account.applyFill(fill('BTC/USDT', 'buy', 0.1, 20_000, { fee: buyFee }));
    const cashAfterBuy = account.cash;
    const { realisedPnl } = account.applyFill(fill('BTC/USDT', 'sell', 0.1, 22_000, { fee: sellFee }));

    expect(cashAfterBuy).toBeCloseTo(10_000 - 0.1 * 20_000 - buyFee, 9); // 7998
    expect(account.cash).toBeCloseTo(10_000 - 0.1 * 20_000 - buyFee + 0.1 * 22_000 - sellFee, 9); // 10195.8
    expect(realisedPnl).toBeCloseTo(0.1 * (22_000 - 20_000), 9); // 200, before fees
    expect(account.feesPaid).toBeCloseTo(buyFee + sellFee, 12);
    expect(account.position('BTC/USDT').quantity).toBe(0);
  });

  it('refuses to sell more than it holds', () => {
    const account = new Account(spotSettings(), instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'buy', 0.1, 20_000));

    const reason = account.canFill('BTC/USDT', 'sell', 0.2, 20_000);

    expect(reason).toMatch(/^spot accounts cannot sell more than they hold: no shorting/);
    expect(() => account.applyFill(fill('BTC/USDT', 'sell', 0.2, 20_000))).toThrow(/no shorting/);
    expect(account.position('BTC/USDT').quantity).toBe(0.1);
  });

  it('refuses to sell when flat', () => {
    const account = new Account(spotSettings(), instruments(BTC));

    expect(account.canFill('BTC/USDT', 'sell', 0.001, 20_000)).toMatch(/no shorting/);
  });

  it('refuses a buy it cannot pay for, fee included', () => {
    const account = new Account(spotSettings(1_000), instruments(BTC));

    // 0.05 × 20000 = 1000 exactly affordable without a fee, not with one.
    expect(account.canFill('BTC/USDT', 'buy', 0.05, 20_000)).toBeNull();
    expect(account.canFill('BTC/USDT', 'buy', 0.05, 20_000, 1)).toMatch(/insufficient cash/);
  });

  it('marks equity at the close price', () => {
    const account = new Account(spotSettings(10_000), instruments(BTC, ETH));
    account.applyFill(fill('BTC/USDT', 'buy', 0.1, 20_000, { fee: 2 }));
    account.applyFill(fill('ETH/USDT', 'buy', 1, 1_000, { fee: 1 }));

    const equity = account.equity(marks({ 'BTC/USDT': 21_000, 'ETH/USDT': 900 }));

    const cash = 10_000 - 0.1 * 20_000 - 2 - 1 * 1_000 - 1; // 6997
    expect(equity).toBeCloseTo(cash + 0.1 * 21_000 + 1 * 900, 9); // 9997
    expect(account.totalExposure(marks({ 'BTC/USDT': 21_000, 'ETH/USDT': 900 }))).toBeCloseTo(2_100 + 900, 9);
  });

  it('averages the entry price of successive buys and keeps it on a partial sell', () => {
    const account = new Account(spotSettings(10_000), instruments(ETH));
    account.applyFill(fill('ETH/USDT', 'buy', 1, 100));
    account.applyFill(fill('ETH/USDT', 'buy', 3, 120));

    const { realisedPnl } = account.applyFill(fill('ETH/USDT', 'sell', 2, 130));

    const entry = (1 * 100 + 3 * 120) / 4; // 115
    expect(account.position('ETH/USDT').entryPrice).toBeCloseTo(entry, 12);
    expect(account.position('ETH/USDT').quantity).toBe(2);
    expect(realisedPnl).toBeCloseTo(2 * (130 - entry), 9);
    expect(account.position('ETH/USDT').unrealisedPnl(140)).toBeCloseTo(2 * (140 - entry), 9);
    expect(account.position('ETH/USDT').margin).toBe(0);
  });

  it('gives buying power as cash over price including the taker fee', () => {
    const account = new Account(spotSettings(10_000), instruments(BTC));

    expect(account.buyingPower('BTC/USDT', 20_000, 0.001)).toBeCloseTo(10_000 / (20_000 * (1 + 0.001)), 12);
  });

  it('accepts an entry of exactly its buying power and refuses one a step larger', () => {
    const account = new Account(spotSettings(10_000), instruments(BTC));
    const feeRate = 0.001;
    const quantity = account.buyingPower('BTC/USDT', 20_000, feeRate);
    const larger = quantity + BTC.stepSize;

    expect(account.canFill('BTC/USDT', 'buy', quantity, 20_000, quantity * 20_000 * feeRate)).toBeNull();
    expect(account.canFill('BTC/USDT', 'buy', larger, 20_000, larger * 20_000 * feeRate)).toMatch(
      /insufficient cash/,
    );
    expect(() => account.buyingPower('BTC/USDT', 0, feeRate)).toThrow(/price must be a positive number/);
    expect(() => account.buyingPower('BTC/USDT', 20_000, -1)).toThrow(/feeRate/);
  });

  it('treats float dust below half a step as flat', () => {
    const account = new Account(spotSettings(10_000), instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'buy', 0.1, 100));
    account.applyFill(fill('BTC/USDT', 'buy', 0.2, 100));

    // 0.1 + 0.2 = 0.30000000000000004 in float64; selling 0.3 must leave the account flat.
    account.applyFill(fill('BTC/USDT', 'sell', 0.3, 100));

    expect(account.position('BTC/USDT').quantity).toBe(0);
    expect(account.openSymbols()).toEqual([]);
  });

  it('has no liquidation and no funding', () => {
    const account = new Account(
      { ...spotSettings(), funding: { kind: 'fixed', rate: 0.01, intervalHours: 8 } },
      instruments(BTC),
    );
    account.applyFill(fill('BTC/USDT', 'buy', 0.1, 20_000, { time: JAN_1 }));

    expect(account.liquidationPrice('BTC/USDT')).toBeNull();
    expect(account.checkLiquidation('BTC/USDT', { high: 20_000, low: 1 })).toBeNull();
    expect(account.applyFunding(JAN_1 + 24 * HOUR, marks({ 'BTC/USDT': 20_000 }))).toEqual([]);
  });

  it('explains an unknown symbol and a missing mark price', () => {
    const account = new Account(spotSettings(), instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'buy', 0.1, 20_000));

    expect(() => account.position('DOGE/USDT')).toThrow(/DOGE\/USDT is not an instrument of this run/);
    expect(account.canFill('DOGE/USDT', 'buy', 1, 1)).toMatch(/not an instrument/);
    expect(() => account.equity(new Map())).toThrow(/no valid mark price for open position BTC\/USDT/);
  });

  it('rejects a negative mark price, so spot equity cannot go below zero', () => {
    const account = new Account(spotSettings(1_000), instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'buy', 0.05, 20_000));

    expect(() => account.equity(marks({ 'BTC/USDT': -1 }))).toThrow(/no valid mark price/);
    expect(account.equity(marks({ 'BTC/USDT': 0 }))).toBe(0);
  });

  it('rejects fills with a non-positive quantity, price or a negative fee', () => {
    const account = new Account(spotSettings(), instruments(BTC));

    expect(account.canFill('BTC/USDT', 'buy', 0, 100)).toMatch(/quantity/);
    expect(account.canFill('BTC/USDT', 'buy', 1, Number.NaN)).toMatch(/price/);
    expect(account.canFill('BTC/USDT', 'buy', 1, 100, -1)).toMatch(/fee/);
  });
});

describe('perpetual futures account', () => {
  it('realises the profit of a long and charges fees in quote', () => {
    const account = new Account(perpSettings(), instruments(BTC));

    account.applyFill(fill('BTC/USDT', 'buy', 1, 20_000, { fee: 10 }));
    const { realisedPnl } = account.applyFill(fill('BTC/USDT', 'sell', 1, 21_000, { fee: 10.5 }));

    expect(realisedPnl).toBe(1 * (21_000 - 20_000));
    expect(account.cash).toBeCloseTo(10_000 - 10 + 1_000 - 10.5, 9); // 10979.5
    expect(account.feesPaid).toBeCloseTo(20.5, 12);
    expect(account.reservedMargin).toBe(0);
  });

  it('realises the profit of a short when the price falls', () => {
    const account = new Account(perpSettings(), instruments(ETH));

    account.applyFill(fill('ETH/USDT', 'sell', 2, 1_500, { fee: 1.5 }));
    const unrealisedAt1450 = account.position('ETH/USDT').unrealisedPnl(1_450);
    const { realisedPnl } = account.applyFill(fill('ETH/USDT', 'buy', 2, 1_400, { fee: 1.4 }));

    expect(unrealisedAt1450).toBe(-2 * (1_450 - 1_500)); // +100
    expect(realisedPnl).toBe(2 * (1_500 - 1_400)); // 200
    expect(account.cash).toBeCloseTo(10_000 - 1.5 + 200 - 1.4, 9); // 10197.1
  });

  it('reserves notional / leverage as margin and frees the rest', () => {
    const tenX = new Account(perpSettings({ leverage: 10 }), instruments(BTC));
    const fiveX = new Account(perpSettings({ leverage: 5 }), instruments(BTC));

    tenX.applyFill(fill('BTC/USDT', 'buy', 0.5, 20_000, { fee: 5 }));
    fiveX.applyFill(fill('BTC/USDT', 'buy', 0.5, 20_000, { fee: 5 }));

    expect(tenX.position('BTC/USDT').margin).toBe((0.5 * 20_000) / 10); // 1000
    expect(fiveX.position('BTC/USDT').margin).toBe((0.5 * 20_000) / 5); // 2000
    expect(tenX.freeCash).toBeCloseTo(10_000 - 5 - 1_000, 9);
    expect(tenX.equity(marks({ 'BTC/USDT': 19_000 }))).toBeCloseTo(10_000 - 5 + 0.5 * (19_000 - 20_000), 9);
  });

  it('refuses an entry whose margin and fee exceed the free cash', () => {
    const account = new Account(perpSettings({ leverage: 10 }), instruments(BTC));

    // 6 × 20000 / 10 = 12000 of margin against 10000 of cash.
    expect(account.canFill('BTC/USDT', 'buy', 6, 20_000)).toMatch(/insufficient margin/);
    expect(() => account.applyFill(fill('BTC/USDT', 'buy', 6, 20_000))).toThrow(/insufficient margin/);
    // 5 × 20000 / 10 = 10000: all of it, so any fee tips it over.
    expect(account.canFill('BTC/USDT', 'buy', 5, 20_000)).toBeNull();
    expect(account.canFill('BTC/USDT', 'buy', 5, 20_000, 1)).toMatch(/insufficient margin/);
  });

  it('always lets a fill reduce a position', () => {
    const account = new Account(perpSettings({ leverage: 10 }), instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'buy', 5, 20_000));

    expect(account.canFill('BTC/USDT', 'sell', 5, 18_500, 50)).toBeNull();
  });

  it('gives buying power as free cash over price × (1/leverage + fee)', () => {
    const account = new Account(perpSettings({ leverage: 10 }), instruments(BTC, ETH));
    account.applyFill(fill('ETH/USDT', 'buy', 10, 1_000));
    const free = 10_000 - (10 * 1_000) / 10; // 9000

    expect(account.buyingPower('BTC/USDT', 20_000, 0.0005)).toBeCloseTo(
      free / (20_000 * (1 / 10 + 0.0005)),
      12,
    );
  });

  it('accepts a perp entry of exactly its buying power and refuses one a step larger', () => {
    const account = new Account(perpSettings({ leverage: 10 }), instruments(BTC));
    const feeRate = 0.0005;
    const quantity = account.buyingPower('BTC/USDT', 20_000, feeRate);
    const larger = quantity + BTC.stepSize;

    expect(account.canFill('BTC/USDT', 'buy', quantity, 20_000, quantity * 20_000 * feeRate)).toBeNull();
    expect(account.canFill('BTC/USDT', 'buy', larger, 20_000, larger * 20_000 * feeRate)).toMatch(
      /insufficient margin/,
    );
  });

  it('puts the liquidation price of a 10x long with 0.5% maintenance where margin + loss = maintenance', () => {
    const account = new Account(
      perpSettings({ leverage: 10, maintenanceMarginRate: 0.005 }),
      instruments(BTC),
    );
    account.applyFill(fill('BTC/USDT', 'buy', 2, 20_000));

    const liquidation = account.liquidationPrice('BTC/USDT');

    // margin + (P − E)·Q = mmr·P·Q with margin = E·Q/L  ⇒  P = E·(1 − 1/L) / (1 − mmr)
    const expected = (20_000 * (1 - 1 / 10)) / (1 - 0.005); // 18090.452...
    expect(liquidation).toBeCloseTo(expected, 6);
    const margin = (2 * 20_000) / 10;
    expect(margin + (expected - 20_000) * 2).toBeCloseTo(0.005 * expected * 2, 6);
  });

  it('puts the liquidation price of a short symmetrically above the entry', () => {
    const account = new Account(
      perpSettings({ leverage: 10, maintenanceMarginRate: 0.005 }),
      instruments(BTC),
    );
    account.applyFill(fill('BTC/USDT', 'sell', 1, 20_000));

    // margin + (E − P)·Q = mmr·P·Q  ⇒  P = E·(1 + 1/L) / (1 + mmr)
    expect(account.liquidationPrice('BTC/USDT')).toBeCloseTo((20_000 * (1 + 1 / 10)) / (1 + 0.005), 6);
  });

  it('has no liquidation price when flat or for a 1x long', () => {
    const account = new Account(
      perpSettings({ leverage: 1, maintenanceMarginRate: 0.005 }),
      instruments(BTC),
    );
    expect(account.liquidationPrice('BTC/USDT')).toBeNull();

    account.applyFill(fill('BTC/USDT', 'buy', 0.1, 20_000));

    // P = E·(1 − 1) / (1 − mmr) = 0: a 1x long can lose everything but never be liquidated.
    expect(account.liquidationPrice('BTC/USDT')).toBeNull();
    expect(account.checkLiquidation('BTC/USDT', { high: 20_000, low: 0.01 })).toBeNull();
  });

  it('triggers a long liquidation on the bar low and not otherwise', () => {
    const account = new Account(
      perpSettings({ leverage: 10, maintenanceMarginRate: 0.005 }),
      instruments(BTC),
    );
    account.applyFill(fill('BTC/USDT', 'buy', 1, 20_000));
    const liquidation = (20_000 * 0.9) / 0.995; // 18090.45

    expect(account.checkLiquidation('BTC/USDT', { high: 20_500, low: 18_100 })).toBeNull();
    expect(account.checkLiquidation('BTC/USDT', { high: 20_500, low: 18_090 })).toBeCloseTo(liquidation, 6);
  });

  it('triggers a short liquidation on the bar high and not otherwise', () => {
    const account = new Account(
      perpSettings({ leverage: 10, maintenanceMarginRate: 0.005 }),
      instruments(BTC),
    );
    account.applyFill(fill('BTC/USDT', 'sell', 1, 20_000));
    const liquidation = (20_000 * 1.1) / 1.005; // 21890.55

    expect(account.checkLiquidation('BTC/USDT', { high: 21_890, low: 15_000 })).toBeNull();
    expect(account.checkLiquidation('BTC/USDT', { high: 21_900, low: 19_000 })).toBeCloseTo(liquidation, 6);
  });

  it('leaves the maintenance margin in the account after a liquidation fill at the liquidation price', () => {
    const account = new Account(
      perpSettings({ leverage: 10, maintenanceMarginRate: 0.005 }),
      instruments(BTC),
    );
    account.applyFill(fill('BTC/USDT', 'buy', 1, 20_000));
    const price = account.checkLiquidation('BTC/USDT', { high: 20_000, low: 17_000 })!;

    account.applyFill(fill('BTC/USDT', 'sell', 1, price, { purpose: 'liquidation' }));

    // The position loses its margin except the maintenance part: 10000 − 2000 + 0.005 × P × 1.
    expect(account.cash).toBeCloseTo(10_000 - 2_000 + 0.005 * price, 6);
    expect(account.position('BTC/USDT').quantity).toBe(0);
  });

  it('closes then opens the opposite side on a fill that crosses zero', () => {
    const account = new Account(perpSettings({ leverage: 10 }), instruments(ETH));
    account.applyFill(fill('ETH/USDT', 'buy', 1, 100));

    const { realisedPnl } = account.applyFill(fill('ETH/USDT', 'sell', 3, 110, { fee: 0.33 }));

    expect(realisedPnl).toBe(1 * (110 - 100));
    const position = account.position('ETH/USDT');
    expect(position.quantity).toBe(-2);
    expect(position.entryPrice).toBe(110);
    expect(position.margin).toBe((2 * 110) / 10);
    expect(account.cash).toBeCloseTo(10_000 + 10 - 0.33, 9);
  });

  it('keeps the entry price on a partial close and releases margin proportionally', () => {
    const account = new Account(perpSettings({ leverage: 10 }), instruments(ETH));
    account.applyFill(fill('ETH/USDT', 'buy', 2, 100));

    const { realisedPnl } = account.applyFill(fill('ETH/USDT', 'sell', 0.5, 120));

    expect(realisedPnl).toBe(0.5 * (120 - 100));
    const position = account.position('ETH/USDT');
    expect(position.quantity).toBe(1.5);
    expect(position.entryPrice).toBe(100);
    expect(position.margin).toBe((1.5 * 100) / 10);
  });

  it('checks the margin of the new side when a fill flips the position', () => {
    const account = new Account(perpSettings({ initialCash: 1_000, leverage: 2 }), instruments(ETH));
    account.applyFill(fill('ETH/USDT', 'buy', 10, 100)); // margin 500

    // Flip to short 30 at 100: margin 30 × 100 / 2 = 1500 > 1000 of cash.
    expect(account.canFill('ETH/USDT', 'sell', 40, 100)).toMatch(/insufficient margin/);
    // Flip to short 20 at 100: margin 1000 = cash.
    expect(account.canFill('ETH/USDT', 'sell', 30, 100)).toBeNull();
  });
});

describe('perpetual futures funding', () => {
  const fixed = perpSettings({ funding: { kind: 'fixed', rate: 0.0001, intervalHours: 8 } });

  it('charges a long position × mark × rate at each 8-hour boundary from 00:00 UTC', () => {
    const account = new Account(fixed, instruments(BTC));
    account.applyFunding(JAN_1, marks({}));
    account.applyFill(fill('BTC/USDT', 'buy', 1, 20_000, { time: JAN_1 + 1 * HOUR }));

    const before8 = account.applyFunding(JAN_1 + 7 * HOUR, marks({ 'BTC/USDT': 20_000 }));
    const at8 = account.applyFunding(JAN_1 + 9 * HOUR, marks({ 'BTC/USDT': 20_000 }));
    const at16And24 = account.applyFunding(JAN_1 + 25 * HOUR, marks({ 'BTC/USDT': 21_000 }));

    expect(before8).toEqual([]);
    expect(at8).toEqual([
      {
        symbol: 'BTC/USDT',
        time: JAN_1 + 8 * HOUR,
        rate: 0.0001,
        markPrice: 20_000,
        amount: 1 * 20_000 * 0.0001,
      },
    ]);
    expect(at16And24.map((c) => c.time)).toEqual([JAN_1 + 16 * HOUR, JAN_1 + 24 * HOUR]);
    const paid = 1 * 20_000 * 0.0001 + 2 * (1 * 21_000 * 0.0001); // 2 + 4.2
    expect(account.fundingPaid).toBeCloseTo(paid, 12);
    expect(account.fundingPaidFor('BTC/USDT')).toBeCloseTo(paid, 12);
    expect(account.cash).toBeCloseTo(10_000 - paid, 9);
  });

  it('credits a short position with a positive rate', () => {
    const account = new Account(fixed, instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'sell', 0.5, 20_000, { time: JAN_1 + 1 * HOUR }));

    const charges = account.applyFunding(JAN_1 + 8 * HOUR, marks({ 'BTC/USDT': 20_000 }));

    expect(charges.map((c) => c.amount)).toEqual([-0.5 * 20_000 * 0.0001]); // −1: received
    expect(account.cash).toBeCloseTo(10_000 + 1, 9);
  });

  it('charges nothing while flat', () => {
    const account = new Account(fixed, instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'buy', 1, 20_000, { time: JAN_1 + 1 * HOUR }));
    account.applyFill(fill('BTC/USDT', 'sell', 1, 20_000, { time: JAN_1 + 2 * HOUR }));

    const charges = account.applyFunding(JAN_1 + 48 * HOUR, marks({}));

    expect(charges).toEqual([]);
    expect(account.cash).toBe(10_000);
  });

  it('does not charge funding times before the first call or fill', () => {
    const account = new Account(fixed, instruments(BTC));
    account.applyFunding(JAN_1 + 9 * HOUR, marks({}));
    account.applyFill(fill('BTC/USDT', 'buy', 1, 20_000, { time: JAN_1 + 9 * HOUR }));

    const charges = account.applyFunding(JAN_1 + 15 * HOUR, marks({ 'BTC/USDT': 20_000 }));

    expect(charges).toEqual([]);
  });

  it('charges each point of a funding series at its own time and rate', () => {
    const points = [
      { time: JAN_1 + 3 * HOUR, rate: 0.0002 },
      { time: JAN_1 + 5 * HOUR, rate: -0.0001 },
      { time: JAN_1 + 11 * HOUR, rate: 0.0003 },
    ];
    const account = new Account(perpSettings({ funding: { kind: 'series', points } }), instruments(ETH));
    account.applyFill(fill('ETH/USDT', 'buy', 2, 1_000, { time: JAN_1 }));

    const first = account.applyFunding(JAN_1 + 5 * HOUR, marks({ 'ETH/USDT': 1_000 }));
    const second = account.applyFunding(JAN_1 + 10 * HOUR, marks({ 'ETH/USDT': 1_000 }));

    expect(first.map((c) => [c.time, c.amount])).toEqual([
      [JAN_1 + 3 * HOUR, 2 * 1_000 * 0.0002], // 0.4 paid
      [JAN_1 + 5 * HOUR, 2 * 1_000 * -0.0001], // 0.2 received
    ]);
    expect(second).toEqual([]);
    expect(account.cash).toBeCloseTo(10_000 - 0.4 + 0.2, 12);
  });

  it('refuses funding times that go backwards and a missing mark for an open position', () => {
    const account = new Account(fixed, instruments(BTC));
    account.applyFill(fill('BTC/USDT', 'buy', 1, 20_000, { time: JAN_1 + 9 * HOUR }));

    expect(() => account.applyFunding(JAN_1, marks({}))).toThrow(/earlier than the last settled time/);
    expect(() => account.applyFunding(JAN_1 + 17 * HOUR, marks({}))).toThrow(/no valid mark price/);
  });
});

describe('Account snapshot', () => {
  it('restores cash, positions, fees and funding through JSON and keeps settling funding where it stopped', () => {
    const settings = perpSettings({ funding: { kind: 'fixed', rate: 0.0001, intervalHours: 8 } });
    const original = new Account(settings, instruments(BTC, ETH));
    original.applyFill(fill('BTC/USDT', 'buy', 0.5, 20_000, { fee: 5, time: JAN_1 + HOUR }));
    original.applyFill(fill('ETH/USDT', 'sell', 3, 1_000, { fee: 1.5, time: JAN_1 + HOUR }));
    original.applyFunding(JAN_1 + 9 * HOUR, marks({ 'BTC/USDT': 20_000, 'ETH/USDT': 1_000 }));

    const restored = new Account(settings, instruments(BTC, ETH));
    restored.restore(JSON.parse(JSON.stringify(original.snapshot())) as AccountSnapshot);

    const m = marks({ 'BTC/USDT': 20_500, 'ETH/USDT': 990 });
    expect(restored.snapshot()).toEqual(original.snapshot());
    expect(restored.equity(m)).toBe(original.equity(m));
    expect(restored.position('ETH/USDT').quantity).toBe(-3);
    expect(restored.feesPaid).toBe(6.5);
    expect(restored.fundingPaidFor('ETH/USDT')).toBe(original.fundingPaidFor('ETH/USDT'));
    // The 08:00 funding was settled before the snapshot; only 16:00 remains before 17:00.
    expect(restored.applyFunding(JAN_1 + 17 * HOUR, m).map((c) => c.time)).toEqual([
      JAN_1 + 16 * HOUR,
      JAN_1 + 16 * HOUR,
    ]);
  });

  it('refuses a snapshot of another market type or with an unknown symbol', () => {
    const spot = new Account(spotSettings(), instruments(BTC));
    const perp = new Account(perpSettings(), instruments(BTC));
    const perpSnapshot = perp.snapshot();

    expect(() => spot.restore(perpSnapshot)).toThrow(
      /snapshot is of a perp account but this account is spot/,
    );
    expect(() =>
      perp.restore({ ...perpSnapshot, positions: [{ symbol: 'XRP/USDT', quantity: 1, entryPrice: 1 }] }),
    ).toThrow(/XRP\/USDT is not an instrument/);
    expect(() => perp.restore({ ...perpSnapshot, cash: Number.NaN })).toThrow(/cash is not a finite number/);
  });
});
