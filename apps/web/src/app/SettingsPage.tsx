// Account settings: password, personal API tokens (the token is shown once), and exchange
// credentials, of which only exchange, label and the key's last four characters are ever shown.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { trpc } from '../api/client';
import { describeServerError, fieldIssues, type ServerErrorInfo, useServerError } from '../api/errors';
import { canEdit, type Me, ME_KEY } from '../api/hooks';
import { ConfirmButton, ErrorNotice, Field, formatDate, Spinner } from './ui';

function PasswordSection() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const change = useMutation({
    mutationFn: () => trpc.auth.changePassword.mutate({ currentPassword, newPassword }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
      setConfirm('');
    },
  });
  const error = useServerError(change.error);
  const mismatch = confirm !== '' && confirm !== newPassword;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!mismatch) change.mutate();
  };
  return (
    <section className="cf-card cf-form" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form onSubmit={onSubmit} className="cf-form" data-testid="password-form">
        <Field label="Current password" errors={fieldIssues(error, 'currentPassword')}>
          <input
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
            data-testid="password-current"
          />
        </Field>
        <Field label="New password" hint="At least 10 characters." errors={fieldIssues(error, 'newPassword')}>
          <input
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
            data-testid="password-new"
          />
        </Field>
        <Field label="Repeat the new password" errors={mismatch ? ['The two new passwords differ.'] : []}>
          <input
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            data-testid="password-confirm"
          />
        </Field>
        <ErrorNotice
          error={error && fieldIssues(error, 'newPassword').length === 0 ? error : null}
          testId="password-error"
        />
        {change.isSuccess ? (
          <p className="cf-success" role="status" data-testid="password-changed">
            Password changed.{' '}
            {change.data.otherSessionsEnded > 0
              ? `${change.data.otherSessionsEnded} other session${change.data.otherSessionsEnded === 1 ? ' was' : 's were'} signed out.`
              : ''}
          </p>
        ) : null}
        <button
          type="submit"
          className="cf-button cf-button--primary"
          disabled={change.isPending || !currentPassword || !newPassword || mismatch}
          data-testid="password-submit"
        >
          Change password
        </button>
      </form>
    </section>
  );
}

/** Copies text, falling back to selecting it when the clipboard API is unavailable (plain http). */
function CopyButton(props: { text: string; testId: string; targetId: string }) {
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied('yes');
    } catch {
      const field = document.getElementById(props.targetId);
      if (field instanceof HTMLInputElement) field.select();
      setCopied('select');
    }
  };
  return (
    <button type="button" className="cf-button" onClick={() => void copy()} data-testid={props.testId}>
      {copied === 'yes' ? 'Copied' : copied === 'select' ? 'Selected: press Ctrl+C' : 'Copy'}
    </button>
  );
}

const TOKENS_KEY = ['apiTokens', 'list'] as const;

function TokensSection() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [write, setWrite] = useState(false);
  const [expiresInDays, setExpires] = useState<number | ''>(90);
  const [actionError, setActionError] = useState<ServerErrorInfo | null>(null);
  const list = useQuery({ queryKey: TOKENS_KEY, queryFn: () => trpc.apiTokens.list.query() });
  const create = useMutation({
    mutationFn: () =>
      trpc.apiTokens.create.mutate({
        name: name.trim(),
        scopes: write ? ['read', 'write'] : ['read'],
        ...(expiresInDays === '' ? {} : { expiresInDays }),
      }),
    onSuccess: () => {
      setName('');
      return queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => trpc.apiTokens.revoke.mutate({ id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
    onError: (e) => setActionError(describeServerError(e)),
  });
  const createError = useServerError(create.error);
  const listError = useServerError(list.error);

  return (
    <section className="cf-card cf-form" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="cf-muted cf-small">
        For scripts and the public HTTP API (<code>Authorization: Bearer …</code>). A token is shown once,
        when it is created.
      </p>
      <form
        className="cf-row cf-row--wrap cf-row--end"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Field label="Name" errors={fieldIssues(createError, 'name')}>
          <input
            value={name}
            placeholder="nightly script"
            onChange={(e) => setName(e.target.value)}
            data-testid="token-name"
          />
        </Field>
        <Field label="Expires after (days)">
          <input
            type="number"
            min={1}
            max={3650}
            value={expiresInDays}
            placeholder="never"
            onChange={(e) => setExpires(e.target.value === '' ? '' : e.target.valueAsNumber)}
            data-testid="token-expiry"
          />
        </Field>
        <label className="cf-check">
          <input
            type="checkbox"
            checked={write}
            onChange={(e) => setWrite(e.target.checked)}
            data-testid="token-write"
          />{' '}
          Can make changes (write)
        </label>
        <button
          type="submit"
          className="cf-button cf-button--primary"
          disabled={create.isPending || !name.trim()}
          data-testid="token-create"
        >
          Create token
        </button>
      </form>
      <ErrorNotice
        error={createError && fieldIssues(createError, 'name').length === 0 ? createError : null}
        testId="token-error"
      />
      {create.data ? (
        <div className="cf-secret-once" role="status" data-testid="token-created">
          <p>
            <strong>Copy your new token now.</strong> It will not be shown again.
          </p>
          <div className="cf-row">
            <input
              id="cf-new-token"
              readOnly
              value={create.data.token}
              className="cf-mono"
              data-testid="token-created-value"
              onFocus={(e) => e.target.select()}
            />
            <CopyButton text={create.data.token} testId="token-copy" targetId="cf-new-token" />
            <button
              type="button"
              className="cf-button cf-button--quiet"
              onClick={() => create.reset()}
              data-testid="token-created-dismiss"
            >
              Done
            </button>
          </div>
        </div>
      ) : null}
      <ErrorNotice error={actionError} testId="token-action-error" />
      <ErrorNotice error={listError} testId="token-list-error" />
      {list.isPending ? <Spinner /> : null}
      {list.data?.length === 0 ? <p className="cf-muted">No tokens yet.</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="cf-list" data-testid="token-list">
          {list.data.map((token) => (
            <li key={token.id} className="cf-list-row" data-testid={`token-row-${token.id}`}>
              <div className="cf-list-main">
                <span className="cf-list-title">
                  {token.name} <code className="cf-small">{token.prefix}…</code>
                </span>
                <span className="cf-muted cf-small">
                  {token.scopes.join(' + ')} · created {formatDate(token.createdAt)} · last used{' '}
                  {formatDate(token.lastUsedAt)}
                  {token.expiresAt ? ` · expires ${formatDate(token.expiresAt)}` : ' · never expires'}
                  {token.revokedAt ? ` · revoked ${formatDate(token.revokedAt)}` : ''}
                </span>
              </div>
              <div className="cf-list-actions">
                {token.revokedAt ? (
                  <span className="cf-badge">revoked</span>
                ) : (
                  <ConfirmButton
                    label="Revoke"
                    onConfirm={() => revoke.mutate(token.id)}
                    testId={`token-revoke-${token.id}`}
                  />
                )}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

const CREDENTIALS_KEY = ['credentials', 'list'] as const;
type Credential = Awaited<ReturnType<typeof trpc.credentials.list.query>>[number];

function CredentialUpdateForm(props: { credential: Credential; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [label, setLabel] = useState(props.credential.label);
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const update = useMutation({
    mutationFn: () =>
      trpc.credentials.update.mutate({
        id: props.credential.id,
        secret,
        ...(apiKey.trim() ? { apiKey } : {}),
        ...(label.trim() && label !== props.credential.label ? { label } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: CREDENTIALS_KEY });
      props.onDone();
    },
  });
  const error = useServerError(update.error);
  return (
    <form
      className="cf-form cf-inset"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate();
      }}
      data-testid={`credential-update-form-${props.credential.id}`}
    >
      <Field label="Label">
        <input
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          data-testid="credential-update-label"
        />
      </Field>
      <Field label="New API key" hint="Leave empty to keep the stored key.">
        <input
          value={apiKey}
          autoComplete="off"
          onChange={(e) => setApiKey(e.target.value)}
          data-testid="credential-update-apikey"
        />
      </Field>
      <Field
        label="New secret"
        hint="Required: the stored secret is never shown, so enter it again."
        errors={fieldIssues(error, 'secret')}
      >
        <input
          type="password"
          autoComplete="off"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          data-testid="credential-update-secret"
        />
      </Field>
      <ErrorNotice error={error} testId="credential-update-error" />
      <div className="cf-row">
        <button
          type="submit"
          className="cf-button cf-button--primary"
          disabled={update.isPending || !secret}
          data-testid="credential-update-save"
        >
          Save
        </button>
        <button type="button" className="cf-button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function CredentialsSection(props: { editable: boolean }) {
  const queryClient = useQueryClient();
  const [exchange, setExchange] = useState('binance');
  const [label, setLabel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ServerErrorInfo | null>(null);
  const list = useQuery({ queryKey: CREDENTIALS_KEY, queryFn: () => trpc.credentials.list.query() });
  const create = useMutation({
    mutationFn: () =>
      trpc.credentials.create.mutate({
        exchange,
        label,
        apiKey,
        secret,
        ...(passphrase.trim() ? { passphrase } : {}),
      }),
    onSuccess: () => {
      // The secret leaves the page's memory as soon as the server has it.
      setApiKey('');
      setSecret('');
      setPassphrase('');
      setLabel('');
      return queryClient.invalidateQueries({ queryKey: CREDENTIALS_KEY });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => trpc.credentials.delete.mutate({ id }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CREDENTIALS_KEY }),
    onError: (e) => setActionError(describeServerError(e)),
  });
  const createError = useServerError(create.error);
  const listError = useServerError(list.error);

  return (
    <section className="cf-card cf-form" aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">Exchange credentials</h2>
      <p className="cf-muted cf-small">
        Encrypted on the server and never sent back: after saving, only the exchange, your label and the key's
        last four characters are shown.
      </p>
      {props.editable ? (
        <form
          className="cf-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
          data-testid="credential-form"
        >
          <div className="cf-grid-2">
            <Field
              label="Exchange"
              hint="ccxt id: binance, okx, kucoin, coinbase…"
              errors={fieldIssues(createError, 'exchange')}
            >
              <input
                value={exchange}
                onChange={(e) => setExchange(e.target.value)}
                data-testid="credential-exchange"
              />
            </Field>
            <Field label="Label" errors={fieldIssues(createError, 'label')}>
              <input
                value={label}
                placeholder="main account"
                onChange={(e) => setLabel(e.target.value)}
                data-testid="credential-label"
              />
            </Field>
            <Field label="API key" errors={fieldIssues(createError, 'apiKey')}>
              <input
                value={apiKey}
                autoComplete="off"
                onChange={(e) => setApiKey(e.target.value)}
                data-testid="credential-apikey"
              />
            </Field>
            <Field label="Secret" errors={fieldIssues(createError, 'secret')}>
              <input
                type="password"
                autoComplete="off"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                data-testid="credential-secret"
              />
            </Field>
            <Field label="Passphrase" hint="Only some exchanges (OKX, KuCoin) use one.">
              <input
                type="password"
                autoComplete="off"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                data-testid="credential-passphrase"
              />
            </Field>
          </div>
          <ErrorNotice error={createError} testId="credential-error" />
          <button
            type="submit"
            className="cf-button cf-button--primary"
            disabled={create.isPending || !exchange || !label || !apiKey || !secret}
            data-testid="credential-create"
          >
            Save credential
          </button>
        </form>
      ) : null}
      <ErrorNotice error={actionError} testId="credential-action-error" />
      <ErrorNotice error={listError} testId="credential-list-error" />
      {list.isPending ? <Spinner /> : null}
      {list.data?.length === 0 ? <p className="cf-muted">No exchange credentials stored.</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="cf-list" data-testid="credential-list">
          {list.data.map((credential) => (
            <li
              key={credential.id}
              className="cf-list-row cf-list-row--stack"
              data-testid={`credential-row-${credential.id}`}
            >
              <div className="cf-row cf-row--between cf-row--wrap">
                <div className="cf-list-main">
                  <span className="cf-list-title">
                    {credential.exchange} · {credential.label}
                  </span>
                  <span className="cf-muted cf-small">
                    key <code>••••{credential.apiKeyLast4}</code> · updated {formatDate(credential.updatedAt)}
                  </span>
                </div>
                {props.editable ? (
                  <div className="cf-list-actions">
                    <button
                      type="button"
                      className="cf-button cf-button--quiet"
                      onClick={() => setEditing(editing === credential.id ? null : credential.id)}
                      data-testid={`credential-update-${credential.id}`}
                    >
                      Replace secret
                    </button>
                    <ConfirmButton
                      label="Delete"
                      onConfirm={() => remove.mutate(credential.id)}
                      testId={`credential-delete-${credential.id}`}
                    />
                  </div>
                ) : null}
              </div>
              {editing === credential.id ? (
                <CredentialUpdateForm credential={credential} onDone={() => setEditing(null)} />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

const USERS_KEY = ['users', 'list'] as const;
type Role = 'admin' | 'trader' | 'viewer';

/** Administrators choose each account's role; the server refuses to demote the last admin. */
function UsersSection(props: { selfId: string }) {
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<ServerErrorInfo | null>(null);
  const list = useQuery({ queryKey: USERS_KEY, queryFn: () => trpc.users.list.query({ limit: 500 }) });
  const setRole = useMutation({
    mutationFn: (input: { userId: string; role: Role }) => trpc.users.setRole.mutate(input),
    onSuccess: async () => {
      setActionError(null);
      // An administrator may have changed their own role, which changes what the studio shows.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: USERS_KEY }),
        queryClient.invalidateQueries({ queryKey: ME_KEY }),
      ]);
    },
    onError: (e) => setActionError(describeServerError(e)),
  });
  const listError = useServerError(list.error);
  return (
    <section className="cf-card cf-form" aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <p className="cf-muted cf-small">
        Traders build and run strategies; viewers only look; administrators also manage roles.
      </p>
      <ErrorNotice error={actionError} testId="user-action-error" />
      <ErrorNotice error={listError} testId="user-list-error" />
      {list.isPending ? <Spinner /> : null}
      {list.data ? (
        <ul className="cf-list" data-testid="user-list">
          {list.data.users.map((user) => (
            <li key={user.id} className="cf-list-row" data-testid={`user-row-${user.id}`}>
              <div className="cf-list-main">
                <span className="cf-list-title">
                  {user.email}
                  {user.id === props.selfId ? ' (you)' : ''}
                </span>
                <span className="cf-muted cf-small">joined {formatDate(user.createdAt)}</span>
              </div>
              <select
                aria-label={`Role of ${user.email}`}
                value={user.role}
                disabled={setRole.isPending}
                onChange={(e) => setRole.mutate({ userId: user.id, role: e.target.value as Role })}
                data-testid={`user-role-${user.id}`}
              >
                <option value="admin">admin</option>
                <option value="trader">trader</option>
                <option value="viewer">viewer</option>
              </select>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function SettingsPage(props: { me: Me }) {
  return (
    <div className="cf-page cf-settings">
      <h1>Settings</h1>
      <section className="cf-card" aria-label="Account">
        <p>
          Signed in as <strong data-testid="settings-email">{props.me.email}</strong> with the{' '}
          <span className={`cf-role cf-role--${props.me.role}`}>{props.me.role}</span> role
          {props.me.role === 'viewer'
            ? ': you can look at everything shared with you but not change or run anything.'
            : '.'}
        </p>
      </section>
      <PasswordSection />
      <TokensSection />
      <CredentialsSection editable={canEdit(props.me.role)} />
      {props.me.role === 'admin' ? <UsersSection selfId={props.me.id} /> : null}
    </div>
  );
}
