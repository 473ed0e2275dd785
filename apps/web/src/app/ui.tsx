// Small building blocks every shell page uses: links, error notices, fields, confirmations, dates.
import { type ReactNode, useState } from 'react';
import { formatIssue, type ServerErrorInfo } from '../api/errors';
import { linkClick } from './router';

export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  testId?: string;
  title?: string;
}) {
  return (
    <a
      href={props.to}
      onClick={linkClick(props.to)}
      className={props.className}
      data-testid={props.testId}
      title={props.title}
    >
      {props.children}
    </a>
  );
}

/** A server error as the user should read it: what happened, the stable code, and each issue. */
export function ErrorNotice(props: { error: ServerErrorInfo | null; testId?: string; maxIssues?: number }) {
  const { error } = props;
  if (!error) return null;
  const max = props.maxIssues ?? 20;
  // A one-problem refusal often repeats its issue in the message; say it once unless the issue
  // adds a column the message lacks.
  const issues = error.issues.filter(
    (issue) => issue.column !== undefined || !error.message.includes(issue.message),
  );
  const shown = issues.slice(0, max);
  return (
    <div
      className="cf-error-notice"
      role="alert"
      data-testid={props.testId ?? 'error'}
      data-code={error.code}
    >
      <p>
        {error.message} <code className="cf-error-code">{error.code}</code>
        {error.requestId && error.code === 'INTERNAL' ? <span> (request {error.requestId})</span> : null}
      </p>
      {shown.length > 0 ? (
        <ul>
          {shown.map((issue, i) => (
            // Issues have no identity of their own; their order is the server's.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i}>{formatIssue(issue)}</li>
          ))}
        </ul>
      ) : null}
      {issues.length > max ? <p>… and {issues.length - max} more.</p> : null}
    </div>
  );
}

export function Field(props: {
  label: string;
  hint?: string;
  errors?: readonly string[];
  children: ReactNode;
}) {
  return (
    // The control arrives as a child, which the lint rule cannot see.
    // biome-ignore lint/a11y/noLabelWithoutControl: the input is nested via children
    <label className="cf-field">
      <span className="cf-field-label">{props.label}</span>
      {props.children}
      {props.hint ? <span className="cf-field-hint">{props.hint}</span> : null}
      {props.errors?.map((message) => (
        <span key={message} className="cf-field-error">
          {message}
        </span>
      ))}
    </label>
  );
}

/** A destructive button that asks "sure?" in place instead of a modal. */
export function ConfirmButton(props: {
  label: string;
  confirmLabel?: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="cf-button cf-button--danger-quiet"
        disabled={props.disabled}
        data-testid={props.testId}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span className="cf-confirm">
      <button
        type="button"
        className="cf-button cf-button--danger"
        data-testid={`${props.testId}-confirm`}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel ?? `Yes, ${props.label.toLowerCase()}`}
      </button>
      <button type="button" className="cf-button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** Dates arrive as ISO strings (the API has no transformer) although the types say Date. */
export function formatDate(value: Date | string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? '—'
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function Spinner(props: { label?: string }) {
  return (
    <div className="cf-spinner" role="status" aria-live="polite">
      {props.label ?? 'Loading…'}
    </div>
  );
}
