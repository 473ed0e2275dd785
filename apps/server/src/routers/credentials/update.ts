// credentials.update: replaces the secret of a credential the caller owns (and optionally its API key,
// passphrase or label), re-encrypting it under the active key.
import { z } from 'zod';
import { apiKeyLast4, type CredentialSecret } from '../../credentials/cipher';
import { keyringFor, openRow, sealColumns } from '../../credentials/store';
import { audit, requireOwned, traderProcedure } from '../../trpc';
import { apiKey, CredentialView, credentialId, label, passphrase, secret, viewColumns } from './schemas';

export const updateInput = z.strictObject({
  id: credentialId,
  secret,
  /** Omitted: keep the stored API key. */
  apiKey: apiKey.optional(),
  /** Omitted: keep the stored passphrase; null: remove it. */
  passphrase: passphrase.nullable().optional(),
  label: label.optional(),
});

export const update = traderProcedure
  .input(updateInput)
  .output(CredentialView)
  .mutation(async ({ ctx, input }) => {
    const existing = await requireOwned(ctx, 'exchangeCredential', input.id);
    const keyring = keyringFor(ctx.env, (message) => ctx.log.warn(message));
    // Opening the old ciphertext both supplies the fields kept and proves the row is intact.
    const previous = openRow(keyring, existing);
    const next: CredentialSecret = { apiKey: input.apiKey ?? previous.apiKey, secret: input.secret };
    const nextPassphrase =
      input.passphrase === undefined ? previous.passphrase : (input.passphrase ?? undefined);
    if (nextPassphrase !== undefined) next.passphrase = nextPassphrase;
    const sealed = sealColumns(keyring, existing, next);
    const changed = [
      'secret',
      ...(input.apiKey !== undefined ? ['apiKey'] : []),
      ...(input.passphrase !== undefined ? ['passphrase'] : []),
      ...(input.label !== undefined && input.label !== existing.label ? ['label'] : []),
    ];
    return ctx.prisma.$transaction(async (tx) => {
      const row = await tx.exchangeCredential.update({
        where: { id: existing.id },
        data: {
          ...sealed,
          apiKeyLast4: apiKeyLast4(next.apiKey),
          ...(input.label ? { label: input.label } : {}),
        },
        select: viewColumns,
      });
      await audit(
        ctx,
        'credential.update',
        { type: 'exchangeCredential', id: row.id },
        {
          changed,
          exchange: row.exchange,
          label: row.label,
          apiKeyLast4: row.apiKeyLast4,
          keyId: sealed.keyId,
        },
        { client: tx },
      );
      return row;
    });
  });
