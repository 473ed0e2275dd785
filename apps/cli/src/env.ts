// The one place the command line reads the environment.
import { join } from 'node:path';

/** Where `data import` keeps datasets; CANDLEFLOW_DATA_DIR overrides ./.candleflow/data. */
export function dataDirectory(): string {
  return process.env.CANDLEFLOW_DATA_DIR ?? join(process.cwd(), '.candleflow', 'data');
}

/** CANDLEFLOW_DEBUG=1 prints stack traces of unexpected errors. */
export function debugEnabled(): boolean {
  return Boolean(process.env.CANDLEFLOW_DEBUG);
}
