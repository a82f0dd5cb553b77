/**
 * Options page, "Not on this account": the labels the reader hid beside one account from a badge's
 * panel, newest first, each with a Remove button. The list is a storage item the content scripts
 * watch, so removing one shows those labels again in open tabs at once.
 */
import type { AccountException } from '../../storage/exceptions';
import { withoutException } from '../../storage/exceptions';
import { accountExceptionsItem } from '../../storage/settings';
import { useStorageItem } from '../hooks';
import { t } from '../i18n';

const SITE_NAMES: Record<string, string> = {
  x: 'X',
  bsky: 'Bluesky',
  reddit: 'Reddit',
  youtube: 'YouTube',
  facebook: 'Facebook',
  instagram: 'Instagram',
  threads: 'Threads',
};

/** `account:fedi:user@host` → `@user@host`; `account:x:jack` → `jack (X)`. */
export function accountName(key: string): string {
  const [, site = '', ...rest] = key.split(':');
  const id = rest.join(':');
  if (site === 'fedi') return `@${id}`;
  return `${id} (${SITE_NAMES[site] ?? site})`;
}

async function remove(exception: AccountException): Promise<void> {
  await accountExceptionsItem.setValue(withoutException(await accountExceptionsItem.getValue(), exception));
}

export function ExceptionsSection() {
  const list = useStorageItem(accountExceptionsItem);
  return (
    <section aria-labelledby="exceptions-heading">
      <h2 id="exceptions-heading">{t('optionsExceptionsTitle')}</h2>
      <p class="muted">{t('optionsExceptionsIntro')}</p>
      {list !== undefined && list.length === 0 && <p>{t('optionsExceptionsEmpty')}</p>}
      {list !== undefined && list.length > 0 && (
        <ul class="exceptions">
          {list.map((exception) => {
            const what = exception.label?.title ?? t('optionsExceptionAllLabels');
            const account = accountName(exception.account);
            return (
              <li
                key={`${exception.account}\n${exception.label?.feedId ?? ''}\n${exception.label?.labelId ?? ''}`}
              >
                <span>
                  <strong>{account}</strong> — <bdi>{what}</bdi>
                </span>{' '}
                <button
                  type="button"
                  aria-label={t('optionsExceptionRemoveName', what, account)}
                  onClick={() => {
                    remove(exception).catch(() => undefined);
                  }}
                >
                  {t('optionsExceptionRemove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
