// Entry point of the `candleflow` bin.
import { main } from './program';

await main(process.argv);
