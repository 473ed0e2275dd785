// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorNotice, formatDate } from './ui';

afterEach(cleanup);

describe('ErrorNotice', () => {
  it('lists each issue the message does not already say', () => {
    render(
      <ErrorNotice
        error={{
          code: 'VALIDATION_FAILED',
          message: 'Invalid input at email: must be an email address (and 1 more problem).',
          details: undefined,
          issues: [
            { path: 'email', message: 'must be an email address' },
            { path: 'password', message: 'password is required' },
          ],
        }}
      />,
    );
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(['password: password is required']);
  });

  it('keeps an issue that adds a column', () => {
    render(
      <ErrorNotice
        error={{
          code: 'VALIDATION_FAILED',
          message: 'The CSV file is invalid: x.csv:4: high is below low',
          details: undefined,
          issues: [{ path: 'csv', message: 'high is below low', line: 4, column: 3 }],
        }}
      />,
    );
    expect(screen.getByRole('listitem').textContent).toBe('line 4, column 3: high is below low');
  });

  it('caps a long list and says how many more there are', () => {
    const issues = Array.from({ length: 25 }, (_, i) => ({ path: `rows.${i}`, message: `bad row ${i}` }));
    render(
      <ErrorNotice
        error={{ code: 'VALIDATION_FAILED', message: 'Bad rows.', details: undefined, issues }}
        maxIssues={20}
      />,
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(20);
    expect(screen.getByText('… and 5 more.')).toBeTruthy();
  });

  it('shows the request id only for server faults', () => {
    render(
      <ErrorNotice
        error={{
          code: 'INTERNAL',
          message: 'Something went wrong.',
          details: undefined,
          issues: [],
          requestId: 'req-9',
        }}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('request req-9');
  });

  it('renders nothing without an error', () => {
    const { container } = render(<ErrorNotice error={null} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('formatDate', () => {
  it('accepts the ISO strings the API sends and shows a dash for nothing', () => {
    expect(formatDate('2030-01-02T03:04:00.000Z')).toBe(
      new Date(Date.UTC(2030, 0, 2, 3, 4)).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
  });
});
