// credentials.create: stores an exchange API key encrypted under the active key and returns its public face.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { apiKeyLast4 } from '../../credentials/cipher';
import { keyringFor, sealColumns } from '../../credentials/store';
import { audit, traderProcedure } from '../../trpc';
import { apiKey, CredentialView, exchangeId, label, passphrase, secret, viewColumns } from './schemas';

export const createInput = z.strictObject({
  exchange: exchangeId,
  label,
  apiKey,
  secret,
  passphrase: passphrase.optional(),
});

export const create = traderProcedure
  .input(createInput)
  .output(CredentialView)
  .mutation(async ({ ctx, input }) => {
    const keyring = keyringFor(ctx.env, (message) => ctx.log.warn(message));
    // The id is chosen before encrypting because the ciphertext is bound to it.
    const id = randomUUID();
    const sealed = sealColumns(keyring, { id, userId: ctx.user.id }, input);
    return ctx.prisma.$transaction(async (tx) => {
      const row = await tx.exchangeCredential.create({
        data: {
          id,
          userId: ctx.user.id,
          exchange: input.exchange,
          label: input.label,
          apiKeyLast4: apiKeyLast4(input.apiKey),
          ...sealed,
        },
        select: viewColumns,
      });
      await audit(
        ctx,
        'credential.create',
        { type: 'exchangeCredential', id },
        { exchange: row.exchange, label: row.label, apiKeyLast4: row.apiKeyLast4, keyId: sealed.keyId },
        { client: tx },
      );
      return row;
    });
  });
