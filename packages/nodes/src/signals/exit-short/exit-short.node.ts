// exit_short: close the short position when the condition holds.
import { defineSignalNode } from '../signal-node';

export const exitShortNode = defineSignalNode({
  action: 'exit_short',
  title: 'Exit short',
  description: 'Signals closing the short position on bars where the condition is true.',
});
