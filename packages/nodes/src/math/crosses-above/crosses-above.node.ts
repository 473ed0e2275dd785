// crosses_above: the bar where a fast series rises through a slow one or a level (golden cross, RSI > 30).
import { defineCrossingNode } from '../crossing';

export const crossesAboveNode = defineCrossingNode('above');
