// crosses_below: the bar where a fast series falls through a slow one or a level (death cross, RSI < 70).
import { defineCrossingNode } from '../crossing';

export const crossesBelowNode = defineCrossingNode('below');
