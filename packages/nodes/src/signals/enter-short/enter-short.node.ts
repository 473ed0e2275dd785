// enter_short: open a short position when the condition holds (perpetual-futures accounts only).
import { defineSignalNode } from '../signal-node';

export const enterShortNode = defineSignalNode({
  action: 'enter_short',
  title: 'Enter short',
  description: 'Signals a short entry (sell to open; futures accounts) on bars where the condition is true.',
});
