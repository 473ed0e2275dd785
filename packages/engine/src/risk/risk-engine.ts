// The risk engine: checks every order intent before it becomes an order (position and exposure caps,
// cooldowns, de-duplication) and runs the daily-loss and drawdown circuit breakers and the kill switch.
import { type RiskSettings, RiskSettingsSchema, type SignalAction } from '@candleflow/strategy-dsl';
import type { Instrument } from '../types';
import { roundQuantity } from '../exchange/instrument';
import { belowMinimum } from './quantity';

/**
 * ACTIVE: every check applies. REDUCING: only risk-reducing orders pass (see REDUCING_ENTER_SHARE).
 * HALTED: no new entries; exits, stops and other reducing orders still pass so the caller can flatten.
 */
export type RiskState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export type Breaker = 'daily_loss' | 'max_drawdown' | 'kill_switch' | 'reducing';

export interface RiskIntent {
  readonly symbol: string;
  readonly action: SignalAction;
  /** Units requested (≥ 0). */
  readonly quantity: number;
  /** The expected fill price, for notional caps. */
  readonly price: number;
  /** True when the order only shrinks a position (exits, stops, take profits, liquidation, flatten). */
  readonly reducing: boolean;
  /** Optional (additive to the original API): when given, a reduced quantity is rounded down to its step
   * size and denied below its minimum quantity or notional. */
  readonly instrument?: Instrument;
}

export interface RiskAccountState {
  readonly equity: number;
  /** Signed notional of the symbol's open position in quote currency: + long, − short, 0 flat. */
  readonly positionNotional: (symbol: string) => number;
  /** Sum of |notional| over all open positions, quote currency. */
  readonly totalExposure: number;
  readonly barIndex: number;
  /** UTC ms of the bar the intent belongs to. */
  readonly time: number;
}

export type RiskDecisionKind = 'accept' | 'reduce' | 'deny';

export interface RiskCheckResult {
  readonly decision: RiskDecisionKind;
  /** The quantity that may be ordered: the request (accept), less (reduce) or 0 (deny). */
  readonly quantity: number;
  readonly reason: string | null;
}

/** A decision other than a plain accept, for the audit log and the report. */
export interface RiskDecision {
  readonly time: number;
  readonly barIndex: number;
  readonly symbol: string;
  readonly action: SignalAction;
  readonly requested: number;
  readonly granted: number;
  readonly decision: 'reduce' | 'deny';
  readonly reason: string;
}

export interface Trip {
  readonly breaker: Breaker;
  readonly reason: string;
  /** True when the caller must close every open position now (HALTED by a breaker or the kill switch). */
  readonly flatten: boolean;
}

export interface BreakerResult {
  readonly state: RiskState;
  /** Set only on the call where a breaker trips (or REDUCING starts); null otherwise. */
  readonly tripped: Trip | null;
}

export interface RiskStateChange {
  readonly time: number;
  readonly from: RiskState;
  readonly to: RiskState;
  readonly reason: string;
}

/** REDUCING starts when the day's loss reaches this share of dailyLossLimitPct… */
export const REDUCING_ENTER_SHARE = 0.75;
/** …and ends when it falls below this share (or at the next UTC day): the gap keeps the state from flapping bar to bar. */
export const REDUCING_EXIT_SHARE = 0.5;

/** Suggested settings for the studio: 2% risk per trade, 60% total exposure, 5% daily loss, 25% drawdown. */
export const SUGGESTED_RISK: RiskSettings = {
  riskPerTradePct: 2,
  maxExposurePct: 60,
  dailyLossLimitPct: 5,
  maxDrawdownPct: 25,
  dedupeSignals: true,
};

const DAY_MS = 86_400_000;
const SNAPSHOT_VERSION = 1;
/** Float noise tolerated when comparing a request with a cap (a request that fits to 1e-9 is not reduced). */
const EPSILON = 1e-9;

interface Snapshot {
  readonly version: number;
  readonly killReason: string | null;
  readonly drawdownHaltReason: string | null;
  readonly dailyHalt: { readonly day: number; readonly reason: string } | null;
  readonly reducingDay: number | null;
  readonly peakEquity: number | null;
  readonly equityDay: number | null;
  readonly dayStartEquity: number | null;
  readonly lastTime: number;
  readonly lastClosedBar: readonly (readonly [string, number])[];
  readonly decisions: readonly RiskDecision[];
  readonly stateChanges: readonly RiskStateChange[];
}

/**
 * One per run (backtest, paper or live deployment). Call `check` for every intent, `onEquity` once per bar
 * after marking equity, `onTradeClosed` when a round trip closes. With `settings` undefined there are no
 * caps and no breakers (compatibility runs); the kill switch still works.
 *
 * Per-trade risk (`riskPerTradePct`) is enforced by sizing (`effectiveSizing` + `resolveQuantity`), not
 * here: an intent does not carry the stop distance that risk depends on.
 */
export class RiskEngine {
  private readonly settings: RiskSettings | undefined;
  private killReason: string | null = null;
  private drawdownHaltReason: string | null = null;
  private dailyHalt: { day: number; reason: string } | null = null;
  /** REDUCING because of the drawdown from peak (lifted by recovery only). */
  /** The UTC day REDUCING because of the day's loss applies to; a new day lifts it. */
  private reducingDay: number | null = null;
  private peakEquity: number | null = null;
  private equityDay: number | null = null;
  private dayStartEquity: number | null = null;
  private lastTime = 0;
  private lastClosedBar = new Map<string, number>();
  private decisionLog: RiskDecision[] = [];
  private changeLog: RiskStateChange[] = [];

  constructor(settings: RiskSettings | undefined) {
    if (settings !== undefined) {
      const parsed = RiskSettingsSchema.safeParse(settings);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
        throw new Error(
          `RiskEngine: invalid risk settings (${issues.join('; ')}); fix the strategy's risk block`,
        );
      }
      this.settings = parsed.data;
    }
  }

  state(): RiskState {
    if (this.killReason !== null || this.drawdownHaltReason !== null || this.dailyHalt !== null)
      return 'HALTED';
    return this.reducingDay !== null ? 'REDUCING' : 'ACTIVE';
  }

  decisions(): readonly RiskDecision[] {
    return this.decisionLog;
  }

  /** Every change of state with its reason, oldest first. */
  stateChanges(): readonly RiskStateChange[] {
    return this.changeLog;
  }

  /**
   * Checks, in order: state (HALTED and REDUCING deny entries), de-duplication, cooldown, max position %,
   * max total exposure %. Reducing orders (exits, stops) are accepted in full in every state: a kill switch
   * must be able to close positions, and shrinking an exit could leave risk open.
   */
  check(intent: RiskIntent, account: RiskAccountState): RiskCheckResult {
    if (!Number.isFinite(intent.quantity) || intent.quantity < 0 || !(intent.price > 0)) {
      throw new Error(
        `RiskEngine.check: ${intent.action} ${intent.symbol} at bar ${account.barIndex} has quantity ` +
          `${intent.quantity} and price ${intent.price}; both must be finite, quantity ≥ 0 and price > 0`,
      );
    }
    this.lastTime = Math.max(this.lastTime, account.time);
    this.resumeAfterDailyHalt(account.time);
    const reducing = intent.reducing || intent.action === 'exit_long' || intent.action === 'exit_short';
    if (reducing) return accept(intent.quantity);

    const state = this.state();
    if (state === 'HALTED') return this.deny(intent, account, `trading is halted: ${this.haltReason()}`);
    if (state === 'REDUCING') {
      return this.deny(
        intent,
        account,
        "risk state is REDUCING (the day's loss is near its limit): only exits pass",
      );
    }
    const settings = this.settings;
    if (settings === undefined) return accept(intent.quantity);

    const direction = intent.action === 'enter_long' ? 1 : -1;
    // The position in the direction of the entry: > 0 adds to it, < 0 means the entry first closes an opposite one.
    const aligned = direction * account.positionNotional(intent.symbol);
    if (settings.dedupeSignals === true && aligned > 0) {
      return this.deny(
        intent,
        account,
        `duplicate signal: a ${directionName(direction)} position is already open`,
      );
    }
    const cooldown = settings.cooldownBars ?? 0;
    const closedAt = this.lastClosedBar.get(intent.symbol);
    if (cooldown > 0 && closedAt !== undefined && account.barIndex <= closedAt + cooldown) {
      return this.deny(
        intent,
        account,
        `cooldown: a trade closed at bar ${closedAt}; entries resume at bar ${closedAt + cooldown + 1}`,
      );
    }

    let allowed = intent.quantity;
    const reasons: string[] = [];
    if (settings.maxPositionPct !== undefined || settings.maxExposurePct !== undefined) {
      if (!(account.equity > 0))
        return this.deny(intent, account, `equity ${account.equity} is not positive`);
    }
    if (settings.maxPositionPct !== undefined) {
      const limit = (account.equity * settings.maxPositionPct) / 100;
      const fits = Math.max(0, (limit - aligned) / intent.price);
      if (fits < allowed - EPSILON) {
        allowed = fits;
        reasons.push(
          `position would exceed max position ${settings.maxPositionPct}% of equity (${round(limit)})`,
        );
      }
    }
    if (settings.maxExposurePct !== undefined) {
      const limit = (account.equity * settings.maxExposurePct) / 100;
      const room = limit - account.totalExposure;
      // Closing an opposite position frees its exposure before the new one adds any; the closing part itself
      // always fits because it lowers exposure.
      const fitsNotional = aligned >= 0 ? room : Math.max(-aligned, room - 2 * aligned);
      const fits = Math.max(0, fitsNotional / intent.price);
      if (fits < allowed - EPSILON) {
        allowed = fits;
        reasons.push(
          `total exposure would exceed max exposure ${settings.maxExposurePct}% of equity (${round(limit)})`,
        );
      }
    }
    if (reasons.length === 0) return accept(intent.quantity);

    const reason = reasons.join('; ');
    const granted =
      intent.instrument === undefined ? allowed : roundQuantity(allowed, intent.instrument.stepSize);
    const tooSmall =
      intent.instrument === undefined
        ? granted > EPSILON
          ? null
          : 'nothing fits'
        : belowMinimum(granted, intent.price, intent.instrument);
    if (tooSmall !== null) return this.deny(intent, account, `${reason}; ${tooSmall}`);
    this.record(intent, account, granted, 'reduce', reason);
    return { decision: 'reduce', quantity: granted, reason };
  }

  /** Starts the cooldown of `symbol`: call when a trade on it closes, with the bar of the closing fill. */
  onTradeClosed(symbol: string, barIndex: number): void {
    this.lastClosedBar.set(symbol, barIndex);
  }

  /**
   * Runs the circuit breakers; call once per bar with the marked equity. Daily loss: the loss since the first
   * equity of the UTC day reaching dailyLossLimitPct halts until the next UTC day. Max drawdown: the drop from
   * the peak reaching maxDrawdownPct halts for the rest of the run. Both ask the caller to flatten. REDUCING
   * starts at REDUCING_ENTER_SHARE of either limit and ends below REDUCING_EXIT_SHARE of both.
   */
  onEquity(time: number, equity: number): BreakerResult {
    if (!Number.isFinite(equity)) {
      throw new Error(
        `RiskEngine.onEquity: equity at ${new Date(time).toISOString()} is ${equity}, not a number`,
      );
    }
    this.lastTime = Math.max(this.lastTime, time);
    const day = Math.floor(time / DAY_MS);
    this.resumeAfterDailyHalt(time);
    if (this.equityDay !== day) {
      this.equityDay = day;
      this.dayStartEquity = equity;
    }
    this.peakEquity = this.peakEquity === null ? equity : Math.max(this.peakEquity, equity);
    const settings = this.settings;
    if (settings === undefined) return { state: this.state(), tripped: null };

    const before = this.state();
    const drawdownPct = this.peakEquity > 0 ? ((this.peakEquity - equity) / this.peakEquity) * 100 : 0;
    const start = this.dayStartEquity ?? equity;
    const dayLossPct = start > 0 ? ((start - equity) / start) * 100 : 0;

    let tripped: Trip | null = null;
    const maxDd = settings.maxDrawdownPct;
    const dailyLimit = settings.dailyLossLimitPct;
    if (this.drawdownHaltReason === null && maxDd !== undefined && drawdownPct >= maxDd) {
      this.drawdownHaltReason =
        `max drawdown breaker: equity ${round(equity)} is ${round(drawdownPct)}% below its peak ` +
        `${round(this.peakEquity)} (limit ${maxDd}%); halted for the rest of the run`;
      tripped = { breaker: 'max_drawdown', reason: this.drawdownHaltReason, flatten: true };
    }
    if (this.dailyHalt === null && dailyLimit !== undefined && dayLossPct >= dailyLimit) {
      const reason =
        `daily loss breaker: equity ${round(equity)} is ${round(dayLossPct)}% below the day's first ` +
        `${round(start)} (limit ${dailyLimit}%); halted until the next UTC day`;
      this.dailyHalt = { day, reason };
      tripped ??= { breaker: 'daily_loss', reason, flatten: true };
    }

    const wasReducing = this.reducingDay !== null;
    // The drawdown breaker has no REDUCING stage: it halts for good, so blocking entries at 75% of it
    // would only move the limit, and with no trades the drawdown could never recover to lift the block.
    if (dailyLimit !== undefined) {
      const share = dayLossPct / dailyLimit;
      if (share >= REDUCING_ENTER_SHARE) this.reducingDay = day;
      else if (share < REDUCING_EXIT_SHARE) this.reducingDay = null;
    }
    if (!wasReducing && this.state() === 'REDUCING') {
      if (tripped === null) {
        tripped = {
          breaker: 'reducing',
          reason:
            `REDUCING: drawdown ${round(drawdownPct)}% / day loss ${round(dayLossPct)}% reached ` +
            `${REDUCING_ENTER_SHARE * 100}% of a limit; only exits pass`,
          flatten: false,
        };
      }
    }
    this.noteChange(
      before,
      time,
      tripped?.reason ?? `drawdown ${round(drawdownPct)}%, day loss ${round(dayLossPct)}%`,
    );
    return { state: this.state(), tripped };
  }

  /** Halts immediately and for good (a user's manual stop, an operator, a failed reconciliation). */
  killSwitch(reason: string, time: number = this.lastTime): BreakerResult {
    const before = this.state();
    const fullReason = `kill switch: ${reason}`;
    if (this.killReason === null) this.killReason = fullReason;
    this.noteChange(before, time, fullReason);
    return { state: this.state(), tripped: { breaker: 'kill_switch', reason: fullReason, flatten: true } };
  }

  snapshot(): unknown {
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      killReason: this.killReason,
      drawdownHaltReason: this.drawdownHaltReason,
      dailyHalt: this.dailyHalt,
      reducingDay: this.reducingDay,
      peakEquity: this.peakEquity,
      equityDay: this.equityDay,
      dayStartEquity: this.dayStartEquity,
      lastTime: this.lastTime,
      lastClosedBar: [...this.lastClosedBar.entries()],
      decisions: [...this.decisionLog],
      stateChanges: [...this.changeLog],
    };
    return structuredClone(snapshot);
  }

  restore(state: unknown): void {
    if (
      typeof state !== 'object' ||
      state === null ||
      (state as { version?: unknown }).version !== SNAPSHOT_VERSION ||
      !Array.isArray((state as { lastClosedBar?: unknown }).lastClosedBar)
    ) {
      throw new Error(
        `RiskEngine.restore: not a version ${SNAPSHOT_VERSION} risk-engine snapshot; pass what snapshot() returned`,
      );
    }
    const snapshot = structuredClone(state) as Snapshot;
    this.killReason = snapshot.killReason;
    this.drawdownHaltReason = snapshot.drawdownHaltReason;
    this.dailyHalt = snapshot.dailyHalt === null ? null : { ...snapshot.dailyHalt };
    this.reducingDay = snapshot.reducingDay;
    this.peakEquity = snapshot.peakEquity;
    this.equityDay = snapshot.equityDay;
    this.dayStartEquity = snapshot.dayStartEquity;
    this.lastTime = snapshot.lastTime;
    this.lastClosedBar = new Map(snapshot.lastClosedBar);
    this.decisionLog = [...snapshot.decisions];
    this.changeLog = [...snapshot.stateChanges];
  }

  /** A new UTC day lifts the daily loss halt and the REDUCING state that the day's loss caused. */
  private resumeAfterDailyHalt(time: number): void {
    const day = Math.floor(time / DAY_MS);
    const before = this.state();
    if (this.reducingDay !== null && day > this.reducingDay) this.reducingDay = null;
    if (this.dailyHalt !== null && day > this.dailyHalt.day) this.dailyHalt = null;
    this.noteChange(before, time, 'new UTC day: the daily loss limit starts afresh');
  }

  private haltReason(): string {
    return this.killReason ?? this.drawdownHaltReason ?? this.dailyHalt?.reason ?? 'unknown';
  }

  private noteChange(before: RiskState, time: number, reason: string): void {
    const after = this.state();
    if (after !== before) this.changeLog.push({ time, from: before, to: after, reason });
  }

  private deny(intent: RiskIntent, account: RiskAccountState, reason: string): RiskCheckResult {
    this.record(intent, account, 0, 'deny', reason);
    return { decision: 'deny', quantity: 0, reason };
  }

  private record(
    intent: RiskIntent,
    account: RiskAccountState,
    granted: number,
    decision: 'reduce' | 'deny',
    reason: string,
  ): void {
    this.decisionLog.push({
      time: account.time,
      barIndex: account.barIndex,
      symbol: intent.symbol,
      action: intent.action,
      requested: intent.quantity,
      granted,
      decision,
      reason,
    });
  }
}

function accept(quantity: number): RiskCheckResult {
  return { decision: 'accept', quantity, reason: null };
}

function directionName(direction: number): string {
  return direction > 0 ? 'long' : 'short';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
