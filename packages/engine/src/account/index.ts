// Accounts (spot and perpetual futures) and round-trip trade tracking of the execution core.
export { Account } from './account';
export type { AccountSnapshot, BarRange, FundingCharge, PositionView } from './account';
export { fundingEventsBetween, validateFundingModel } from './funding';
export type { FundingEvent } from './funding';
export { flatTolerance, netFill } from './netting';
export type { Netting } from './netting';
export { TradeTracker } from './trades';
export type { OpenTrade, TradeState, TradeTrackerSnapshot } from './trades';
