/** The severity icon of badges and covers: a circle (info), a triangle (caution), an octagon (alert). */
import type { Severity } from '../feed/types';

export function SeverityIcon({ severity }: { severity: Severity }) {
  return (
    <svg class="cl-icon" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {severity === 'info' && <circle cx="8" cy="8" r="7" fill="currentColor" />}
      {severity === 'caution' && <path d="M8 1 15.5 14.5H.5Z" fill="currentColor" />}
      {severity === 'alert' && <path d="M5 1h6l4 4v6l-4 4H5l-4-4V5Z" fill="currentColor" />}
      {severity === 'info' ? (
        <path d="M7 7h2v5H7zM7 4h2v2H7z" fill="var(--cl-bg)" />
      ) : (
        <path
          d={severity === 'caution' ? 'M7 6h2v4H7zM7 11h2v2H7z' : 'M7 4h2v5H7zM7 10h2v2H7z'}
          fill="var(--cl-bg)"
        />
      )}
    </svg>
  );
}
