// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SettingsPage } from './SettingsPage';
import { makeUser, renderAs, serverError } from './test-support/render';

const api = vi.hoisted(() => ({
  changePassword: vi.fn(),
  tokens: vi.fn(),
  createToken: vi.fn(),
  revokeToken: vi.fn(),
  credentials: vi.fn(),
  createCredential: vi.fn(),
  updateCredential: vi.fn(),
  deleteCredential: vi.fn(),
  users: vi.fn(),
  setRole: vi.fn(),
}));
vi.mock('../api/client', () => ({
  trpc: {
    auth: { changePassword: { mutate: api.changePassword } },
    apiTokens: {
      list: { query: api.tokens },
      create: { mutate: api.createToken },
      revoke: { mutate: api.revokeToken },
    },
    credentials: {
      list: { query: api.credentials },
      create: { mutate: api.createCredential },
      update: { mutate: api.updateCredential },
      delete: { mutate: api.deleteCredential },
    },
    users: { list: { query: api.users }, setRole: { mutate: api.setRole } },
  },
}));

const SECRET_TOKEN = 'cft_live_0123456789abcdefSECRET';
const credential = {
  id: 'c1',
  exchange: 'binance',
  label: 'main',
  apiKeyLast4: 'WXYZ',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
};

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('SettingsPage', () => {
  beforeEach(() => {
    api.tokens.mockResolvedValue([]);
    api.credentials.mockResolvedValue([credential]);
  });
  afterEach(() => {
    cleanup();
    vi.clearAllMocks();
  });

  it('changes the password and reports other sessions signed out', async () => {
    api.changePassword.mockResolvedValue({ ok: true, otherSessionsEnded: 2 });
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    type('password-current', 'old password here');
    type('password-new', 'a brand new passphrase');
    type('password-confirm', 'a brand new passphrase');
    fireEvent.click(screen.getByTestId('password-submit'));

    expect((await screen.findByTestId('password-changed')).textContent).toContain(
      '2 other sessions were signed out',
    );
    expect(api.changePassword).toHaveBeenCalledWith({
      currentPassword: 'old password here',
      newPassword: 'a brand new passphrase',
    });
  });

  it('refuses to submit when the two new passwords differ', () => {
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    type('password-current', 'old password here');
    type('password-new', 'a brand new passphrase');
    type('password-confirm', 'something else');
    expect((screen.getByTestId('password-submit') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('The two new passwords differ.')).toBeTruthy();
  });

  it('shows a wrong current password with its code', async () => {
    api.changePassword.mockRejectedValue(serverError('UNAUTHORIZED', 'The current password is wrong.'));
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    type('password-current', 'wrong');
    type('password-new', 'a brand new passphrase');
    fireEvent.click(screen.getByTestId('password-submit'));
    expect((await screen.findByTestId('password-error')).dataset.code).toBe('UNAUTHORIZED');
  });

  it('shows a new API token once, with a copy button, and forgets it when dismissed', async () => {
    api.createToken.mockResolvedValue({
      id: 't1',
      name: 'ci',
      prefix: 'cft_live_01',
      scopes: ['read'],
      token: SECRET_TOKEN,
    });
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    type('token-name', 'ci');
    fireEvent.click(screen.getByTestId('token-create'));

    const value = (await screen.findByTestId('token-created-value')) as HTMLInputElement;
    expect(value.value).toBe(SECRET_TOKEN);
    expect(api.createToken).toHaveBeenCalledWith({ name: 'ci', scopes: ['read'], expiresInDays: 90 });
    fireEvent.click(screen.getByTestId('token-copy'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET_TOKEN));

    fireEvent.click(screen.getByTestId('token-created-dismiss'));
    expect(document.body.textContent).not.toContain(SECRET_TOKEN);
  });

  it('lists tokens by prefix and revokes after confirmation', async () => {
    api.tokens.mockResolvedValue([
      {
        id: 't1',
        name: 'ci',
        prefix: 'cft_live_01',
        scopes: ['read', 'write'],
        lastUsedAt: null,
        expiresAt: null,
        createdAt: '2030-01-01T00:00:00Z',
        revokedAt: null,
      },
    ]);
    api.revokeToken.mockResolvedValue({ id: 't1' });
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    const row = await screen.findByTestId('token-row-t1');
    expect(row.textContent).toContain('cft_live_01…');
    expect(row.textContent).toContain('read + write');
    fireEvent.click(screen.getByTestId('token-revoke-t1'));
    fireEvent.click(screen.getByTestId('token-revoke-t1-confirm'));
    await waitFor(() => expect(api.revokeToken).toHaveBeenCalledWith({ id: 't1' }));
  });

  it('shows stored credentials as exchange, label and last four only', async () => {
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    const row = await screen.findByTestId('credential-row-c1');
    expect(row.textContent).toContain('binance · main');
    expect(row.textContent).toContain('••••WXYZ');
  });

  it('sends a new credential and clears the secret from the form', async () => {
    api.createCredential.mockResolvedValue({ ...credential, id: 'c2' });
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    type('credential-label', 'sub');
    type('credential-apikey', 'KEY-1234');
    type('credential-secret', 's3cr3t');
    fireEvent.click(screen.getByTestId('credential-create'));

    await waitFor(() =>
      expect(api.createCredential).toHaveBeenCalledWith({
        exchange: 'binance',
        label: 'sub',
        apiKey: 'KEY-1234',
        secret: 's3cr3t',
      }),
    );
    await waitFor(() => expect((screen.getByTestId('credential-secret') as HTMLInputElement).value).toBe(''));
  });

  it('replaces a secret without showing the old one', async () => {
    api.updateCredential.mockResolvedValue(credential);
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    fireEvent.click(await screen.findByTestId('credential-update-c1'));
    type('credential-update-secret', 'rotated');
    fireEvent.click(screen.getByTestId('credential-update-save'));
    await waitFor(() => expect(api.updateCredential).toHaveBeenCalledWith({ id: 'c1', secret: 'rotated' }));
  });

  it('gives a viewer no credential controls', async () => {
    renderAs(makeUser('viewer'), <SettingsPage me={makeUser('viewer')} />);
    await screen.findByTestId('credential-row-c1');
    expect(screen.queryByTestId('credential-create')).toBeNull();
    expect(screen.queryByTestId('credential-update-c1')).toBeNull();
    expect(screen.queryByTestId('credential-delete-c1')).toBeNull();
  });

  it('lets an administrator change a role and shows a refusal', async () => {
    const admin = makeUser('admin');
    api.users.mockResolvedValue({ users: [admin, makeUser('trader')], nextCursor: null });
    api.setRole.mockRejectedValueOnce(
      serverError('CONFLICT', 'This is the last administrator; make someone else an administrator first.'),
    );
    api.setRole.mockResolvedValueOnce({ ...makeUser('trader'), role: 'viewer' });
    renderAs(admin, <SettingsPage me={admin} />);

    fireEvent.change(await screen.findByTestId('user-role-u-admin'), { target: { value: 'trader' } });
    expect((await screen.findByTestId('user-action-error')).dataset.code).toBe('CONFLICT');
    fireEvent.change(screen.getByTestId('user-role-u-trader'), { target: { value: 'viewer' } });
    await waitFor(() => expect(api.setRole).toHaveBeenLastCalledWith({ userId: 'u-trader', role: 'viewer' }));
  });

  it('shows the users section to administrators only', async () => {
    renderAs(makeUser('trader'), <SettingsPage me={makeUser('trader')} />);
    await screen.findByTestId('credential-row-c1');
    expect(screen.queryByTestId('user-list')).toBeNull();
    expect(api.users).not.toHaveBeenCalled();
  });
});
