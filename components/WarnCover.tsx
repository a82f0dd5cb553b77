/**
 * The notice that covers a post whose labels say "warn": it names the labels and offers "Show post".
 * The post itself is hidden by the page stylesheet while its element carries data-context-lens="warned".
 */
import type { Severity } from '../feed/types';
import type { Theme } from '../lens/theme';
import { paletteVars } from './palette';
import { SeverityIcon } from './SeverityIcon';

export interface WarnCoverProps {
  titles: readonly string[];
  severity: Severity;
  theme: Theme;
  onShow(): void;
}

export function WarnCover({ titles, severity, theme, onShow }: WarnCoverProps) {
  return (
    <div class="cl-cover" role="note" data-theme={theme} style={paletteVars(theme, severity)}>
      <SeverityIcon severity={severity} />
      <p class="cl-cover-text">
        {titles.length === 1 ? 'Context label: ' : 'Context labels: '}
        {titles.join(', ')}
      </p>
      <button type="button" class="cl-show" onClick={onShow}>
        Show post
      </button>
    </div>
  );
}
