// credentials.delete: removes a credential the caller owns; the ciphertext goes with the row.
import { z } from 'zod';
import { audit, requireOwned, traderProcedure } from '../../trpc';
import { credentialId } from './schemas';

export const deleteInput = z.strictObject({ id: credentialId });

export const remove = traderProcedure
  .input(deleteInput)
  .output(z.object({ id: z.string() }))
  .mutation(async ({ ctx, input }) => {
    const existing = await requireOwned(ctx, 'exchangeCredential', input.id);
    await ctx.prisma.$transaction(async (tx) => {
      await tx.exchangeCredential.delete({ where: { id: existing.id } });
      await audit(
        ctx,
        'credential.delete',
        { type: 'exchangeCredential', id: existing.id },
        { exchange: existing.exchange, label: existing.label, apiKeyLast4: existing.apiKeyLast4 },
        { client: tx },
      );
    });
    return { id: existing.id };
  });
