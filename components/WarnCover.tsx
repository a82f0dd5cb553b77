/**
 * The notice that covers a post whose labels say "warn": it names the labels and offers "Show post",
 * after which it renders nothing. The post itself is hidden by the page stylesheet while its element
 * carries data-context-lens="warned" and no data-context-lens-shown.
 */
import { Component } from 'preact';
import type { Severity } from '../feed/types';
import { paletteVars, type Theme } from './palette';
import { SeverityIcon } from './SeverityIcon';
import { isolated, t, tNodes } from './strings';

export interface WarnCoverProps {
  titles: readonly string[];
  severity: Severity;
  theme: Theme;
  /** The reader already chose to see the post. */
  initiallyShown?: boolean;
  onShow(): void;
}

/** A class, not hooks: `preact/hooks` would add ~2 KB to every content script (its 80 KB budget). */
export class WarnCover extends Component<WarnCoverProps, { shown: boolean }> {
  override state = { shown: this.props.initiallyShown ?? false };

  render({ titles, severity, theme, onShow }: WarnCoverProps, { shown }: { shown: boolean }) {
    if (shown) return null;
    return (
      <div class="cl-cover" role="note" data-theme={theme} style={paletteVars(theme, severity)}>
        <SeverityIcon severity={severity} />
        <p class="cl-cover-text">
          {tNodes(titles.length === 1 ? 'lensCoverOne' : 'lensCoverMany', isolated(titles))}
        </p>
        <button
          type="button"
          class="cl-show"
          onClick={() => {
            this.setState({ shown: true });
            onShow();
          }}
        >
          {t('lensShowPost')}
        </button>
      </div>
    );
  }
}
