// The datasets router: a user's candle data, imported from CSV or generated, stored as columnar files.
import { router } from '../../trpc';
import { remove } from './delete';
import { generate } from './generate';
import { get } from './get';
import { importCsvProcedure } from './import-csv';
import { list } from './list';

export const datasetsRouter = router({ importCsv: importCsvProcedure, generate, list, get, delete: remove });
