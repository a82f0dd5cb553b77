/**
 * The details panel a badge opens: for each label its title and description, the curator's note,
 * where the post's date falls against the label's period, the sources (http(s) links only), who
 * published the feed, whether its signature verified, how fresh it is, and where to dispute it;
 * beside an account, "Not on this account" hides one label (or all) there for this reader.
 * Every feed string is rendered as JSX text; never as HTML. Feed text beside the extension's words
 * sits in a <bdi> (title and description are blocks of their own, so their own bidi paragraphs).
 */
import { localize } from '../feed/localize';
import type { MatchedLabel } from '../messaging/protocol';
import type { Theme } from './palette';
import { isolated, t, tNodes } from './strings';
import { appealsUrl, httpUrl, labelTitle } from './text';
import { describeTimeWindow, formatDate, timeWindow } from './timeWindow';

export interface DetailsPanelProps {
  id: string;
  labels: readonly MatchedLabel[];
  lang: string;
  /** The post's own date (ISO), to relate it to each label's period. */
  postTime?: string;
  /** Colours: the stylesheet's palette for `data-theme` (palette.ts `paletteCss`). */
  theme: Theme;
  onClose(): void;
  /** "Not on this account": hide one label (or, without one, all of them) beside this badge's account. */
  onHide?(label?: MatchedLabel): void;
}

function LabelDetails({
  label,
  lang,
  postTime,
  onHide,
}: {
  label: MatchedLabel;
  lang: string;
  postTime?: string;
  onHide?(label: MatchedLabel): void;
}) {
  const description = localize(label.definition.description, lang);
  const note = localize(label.note, lang);
  const period = timeWindow(postTime, label.since, label.until);
  const appeals = appealsUrl(label.appeals);
  const sources = label.sources.flatMap((source) => {
    const href = httpUrl(source.url);
    return href ? [{ ...source, href }] : [];
  });
  return (
    <section class="cl-label" data-label={label.definition.id}>
      <h3 class="cl-title">{labelTitle(label, lang)}</h3>
      {description && <p class="cl-description">{description}</p>}
      {label.brief && (
        <p class="cl-muted" role="status">
          {t('lensEvidenceLoading')}
        </p>
      )}
      {note && (
        <p class="cl-note">
          <span class="cl-term">{`${t('lensNote')} `}</span>
          <bdi>{note}</bdi>
        </p>
      )}
      {period && <p class="cl-window">{describeTimeWindow(period)}</p>}
      {sources.length > 0 && (
        <div class="cl-sources">
          <span class="cl-term">{t('lensSources')}</span>
          <ul>
            {sources.map((source) => (
              <li key={source.href}>
                <a href={source.href} target="_blank" rel="noopener noreferrer">
                  <bdi>{source.title || source.href}</bdi>
                </a>
                {(source.publisher || source.date) && (
                  <span class="cl-muted">
                    {' — '}
                    {source.publisher && <bdi>{source.publisher}</bdi>}
                    {source.publisher && source.date && ', '}
                    {source.date && formatDate(source.date)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p class="cl-feed">
        <span class="cl-term">{`${t('lensCurator')} `}</span>
        <bdi>{label.feedName}</bdi>
        {label.publisher &&
          label.publisher !== label.feedName &&
          tNodes('lensPublishedBy', isolated([label.publisher]))}
      </p>
      <p class={label.verified ? 'cl-verified' : 'cl-unverified'}>
        {t(label.verified ? 'lensSignatureVerified' : 'lensSignatureNotVerified')}
      </p>
      <p class="cl-muted">{t('lensFeedUpdated', formatDate(label.updatedAt))}</p>
      {label.stale && (
        <p class="cl-stale">{t('lensFeedStale', formatDate(label.staleSince ?? label.updatedAt))}</p>
      )}
      {(appeals || onHide) && (
        <p class="cl-actions">
          {appeals && (
            <a class="cl-dispute" href={appeals} target="_blank" rel="noopener noreferrer">
              {t('lensDispute')}
            </a>
          )}
          {onHide && (
            <button
              type="button"
              class="cl-hide"
              aria-label={t('lensHideOnAccountName', labelTitle(label, lang))}
              // A label drawn from the page index has no id until its evidence arrives: an
              // exception must name the label itself, so the button waits for it.
              disabled={label.brief === true}
              onClick={() => onHide(label)}
            >
              {t('lensHideOnAccount')}
            </button>
          )}
        </p>
      )}
    </section>
  );
}

/**
 * The panel itself: a dialog that takes focus when its badge opens it (components/badge.ts), in flow
 * inside the post the badge is in (lens/render.tsx `openPanel`), never over anything outside it.
 */
export function DetailsPanel({ id, labels, lang, theme, postTime, onClose, onHide }: DetailsPanelProps) {
  const headingId = `${id}-heading`;
  return (
    <div
      class="cl-panel"
      data-theme={theme}
      id={id}
      role="dialog"
      aria-labelledby={headingId}
      tabIndex={-1}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        onClose();
      }}
    >
      <div class="cl-panel-head">
        <h2 id={headingId} class="cl-panel-title">
          {labels.length === 1 ? t('lensPanelOne') : t('lensPanelMany', labels.length)}
        </h2>
        <button type="button" class="cl-close" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </div>
      {labels.map((label) => (
        <LabelDetails
          key={`${label.feedId}\n${label.labelId}`}
          label={label}
          lang={lang}
          postTime={postTime}
          onHide={onHide}
        />
      ))}
      {onHide && labels.length > 1 && (
        <p class="cl-actions">
          <button type="button" class="cl-hide" onClick={() => onHide()}>
            {t('lensHideAllOnAccount')}
          </button>
        </p>
      )}
    </div>
  );
}
