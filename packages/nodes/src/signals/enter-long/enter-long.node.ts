// enter_long: open (or add to) a long position when the condition holds.
import { defineSignalNode } from '../signal-node';

export const enterLongNode = defineSignalNode({
  action: 'enter_long',
  title: 'Enter long',
  description: 'Signals a long entry (buy) on bars where the condition is true.',
});
