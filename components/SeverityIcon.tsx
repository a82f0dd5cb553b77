/**
 * The severity icon of covers (a badge clones the same element): a circle (info), a triangle
 * (caution), an octagon (alert), drawn by the lens stylesheet (components/base.css `.cl-icon`).
 */
import type { Severity } from '../feed/types';

export function SeverityIcon({ severity }: { severity: Severity }) {
  return <span class="cl-icon" data-icon={severity} aria-hidden="true" />;
}
