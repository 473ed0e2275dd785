// credentials.list: the caller's exchange credentials, newest first, without any secret material.
import { z } from 'zod';
import { protectedProcedure } from '../../trpc';
import { CredentialView, exchangeId, viewColumns } from './schemas';

export const listInput = z.strictObject({ exchange: exchangeId.optional() }).optional();

export const list = protectedProcedure
  .input(listInput)
  .output(z.array(CredentialView))
  .query(({ ctx, input }) =>
    ctx.prisma.exchangeCredential.findMany({
      where: { userId: ctx.user.id, ...(input?.exchange ? { exchange: input.exchange } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      select: viewColumns,
    }),
  );
