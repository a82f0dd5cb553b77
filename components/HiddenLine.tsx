/**
 * The one line a hidden post collapses to: "Hidden by Context Lens: <label>". Clicking it shows the
 * post, clicking again hides it. The post's own content is hidden by the page stylesheet while its
 * element carries data-context-lens="hidden" and no data-context-lens-shown.
 */
import { Component } from 'preact';
import type { Severity } from '../feed/types';
import { paletteVars, type Theme } from './palette';
import { isolated, t, tNodes } from './strings';

export interface HiddenLineProps {
  titles: readonly string[];
  severity: Severity;
  theme: Theme;
  initiallyShown: boolean;
  onToggle(shown: boolean): void;
}

/** A class, not hooks: `preact/hooks` would add ~2 KB to every content script (its 80 KB budget). */
export class HiddenLine extends Component<HiddenLineProps, { shown: boolean }> {
  override state = { shown: this.props.initiallyShown };

  render({ titles, severity, theme, onToggle }: HiddenLineProps, { shown }: { shown: boolean }) {
    return (
      <button
        type="button"
        class="cl-hidden-line"
        data-theme={theme}
        style={paletteVars(theme, severity)}
        aria-expanded={shown}
        onClick={() => {
          this.setState({ shown: !shown });
          onToggle(!shown);
        }}
      >
        {tNodes('lensHiddenBy', isolated(titles))}
        <span class="cl-muted">{` ${shown ? t('lensHiddenHideAgain') : t('lensHiddenShow')}`}</span>
      </button>
    );
  }
}
