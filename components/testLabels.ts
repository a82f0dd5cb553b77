/**
 * Matched labels as the background returns them, for the lens's and the components' tests. Test data
 * only: the product never imports this module.
 */
import type { MatchedLabel } from '../messaging/protocol';

export function matchedLabel(
  overrides: Omit<Partial<MatchedLabel>, 'definition'> & {
    definition?: Partial<MatchedLabel['definition']>;
  } = {},
): MatchedLabel {
  const { definition, ...rest } = overrides;
  const label: MatchedLabel = {
    key: 'account:x:realdonaldtrump',
    feedId: 'https://feeds.example.org/context/feed.json',
    feedName: 'Platform Actions',
    publisher: 'Example Research Lab',
    appeals: 'mailto:appeals@example.org',
    homepage: 'https://example.org/',
    verified: true,
    stale: false,
    updatedAt: '2026-11-20T10:00:00Z',
    labelId: 'x-suspension-2021',
    definition: {
      id: 'account-suspended',
      title: { en: 'Account suspended', de: 'Konto gesperrt' },
      description: { en: 'The platform suspended this account.' },
      severity: 'alert',
      defaultAction: 'badge',
      ...definition,
    },
    note: 'Permanently suspended on 8 January 2021; reinstated on 19 November 2022.',
    sources: [
      {
        url: 'https://blog.twitter.com/en_us/topics/company/2020/suspension',
        title: 'Permanent suspension of @realDonaldTrump',
        publisher: 'Twitter',
        date: '2021-01-08',
      },
    ],
    since: '2021-01-08',
    until: '2022-11-19',
    cts: '2026-11-01T00:00:00Z',
    ...rest,
  };
  return label;
}
