// The database handle the server is given. One seam, so the rest of the server names `Database`
// without caring which package defines it.
export type { Database } from '@candleflow/db';
export type { Prisma, PrismaClient } from '@candleflow/db';
