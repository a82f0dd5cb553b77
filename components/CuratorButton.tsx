/** Curator mode's "Label…" button beside a post's author: opens the curator's label form for that account. */

import { paletteVars, type Theme } from './palette';
import { t } from './strings';

export function CuratorButton({ theme, onLabel }: { theme: Theme; onLabel(): void }) {
  return (
    <button
      type="button"
      class="cl-curator"
      data-theme={theme}
      style={paletteVars(theme, 'info')}
      aria-label={t('lensCuratorLabelName')}
      onClick={(event) => {
        event.preventDefault();
        onLabel();
      }}
    >
      {t('lensCuratorLabel')}
    </button>
  );
}
