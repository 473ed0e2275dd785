// exit_long: close the long position when the condition holds.
import { defineSignalNode } from '../signal-node';

export const exitLongNode = defineSignalNode({
  action: 'exit_long',
  title: 'Exit long',
  description: 'Signals closing the long position on bars where the condition is true.',
});
