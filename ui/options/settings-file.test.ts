import { describe, expect, it } from 'vitest';
import { defaultDraft } from '../../curator/draft';
import {
  accountExceptionsItem,
  curatorDraftItem,
  curatorModeItem,
  enabledItem,
  labelActionsItem,
  mastodonHostsItem,
  siteEnabledItem,
} from '../../storage/settings';
import { applySettings, parseSettingsFile, readSettings, settingsFileText } from './settings-file';

const EXCEPTIONS = [
  { account: 'account:x:jack', added: '2026-03-01T00:00:00.000Z' },
  {
    account: 'account:fedi:someone@blocked.example',
    label: {
      feedId: 'https://f.example/feed.json',
      labelId: 'server-blocked.example',
      title: 'Blocked server',
    },
    added: '2026-03-02T00:00:00.000Z',
  },
];

describe('settings file', () => {
  it('round-trips every setting through export and import', async () => {
    await enabledItem.setValue(false);
    await siteEnabledItem.setValue({ reddit: false });
    await labelActionsItem.setValue({ 'https://f.example/feed.json suspended': 'hide' });
    await mastodonHostsItem.setValue(['social.example']);
    await curatorModeItem.setValue(true);
    await curatorDraftItem.setValue(defaultDraft());
    await accountExceptionsItem.setValue(EXCEPTIONS);
    const text = settingsFileText(await readSettings());

    await Promise.all(
      [
        enabledItem,
        siteEnabledItem,
        labelActionsItem,
        mastodonHostsItem,
        curatorModeItem,
        curatorDraftItem,
        accountExceptionsItem,
      ].map((i) => i.removeValue()),
    );
    const parsed = parseSettingsFile(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(await applySettings(parsed.value, async () => true)).toEqual({ skippedHosts: [] });
    expect(await enabledItem.getValue()).toBe(false);
    expect(await siteEnabledItem.getValue()).toEqual({ reddit: false });
    expect(await labelActionsItem.getValue()).toEqual({ 'https://f.example/feed.json suspended': 'hide' });
    expect(await mastodonHostsItem.getValue()).toEqual(['social.example']);
    expect(await curatorModeItem.getValue()).toBe(true);
    expect(await curatorDraftItem.getValue()).toEqual(defaultDraft());
    expect(await accountExceptionsItem.getValue()).toEqual(EXCEPTIONS);
  });

  it('reads a file from before "Not on this account" as having no exceptions, and refuses a bad one', async () => {
    await accountExceptionsItem.setValue(EXCEPTIONS);
    const old = JSON.parse(settingsFileText(await readSettings()));
    delete old.accountExceptions;
    const parsed = parseSettingsFile(JSON.stringify(old));
    expect(parsed.ok && parsed.value.accountExceptions).toEqual([]);
    const bad = parseSettingsFile(JSON.stringify({ ...old, accountExceptions: [{ account: 'x.com/jack' }] }));
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['accountExceptions[0]']);
  });

  it('keeps only the Mastodon hosts this browser granted', async () => {
    const parsed = parseSettingsFile(
      JSON.stringify({ ...(await readSettings()), mastodonHosts: ['a.example', 'b.example'] }),
    );
    if (!parsed.ok) throw new Error('refused');
    expect(await applySettings(parsed.value, async (h) => h === 'a.example')).toEqual({
      skippedHosts: ['b.example'],
    });
    expect(await mastodonHostsItem.getValue()).toEqual(['a.example']);
  });

  it('refuses bad files with the place and the reason, writing nothing', async () => {
    const good = await readSettings();
    const cases: [string, string[]][] = [
      ['{', [': not JSON']],
      ['[]', [': must be a JSON object']],
      [JSON.stringify({ format: 'something-else' }), ['format: must be "context-lens-settings/1"']],
      [
        JSON.stringify({
          ...good,
          enabled: 'yes',
          labelActions: { 'f d': 'explode' },
          siteEnabled: { myspace: false },
        }),
        [
          'enabled: must be true or false',
          'siteEnabled.myspace: is not a supported site',
          'labelActions["f d"]: must be badge, warn, hide or off',
        ],
      ],
      [
        JSON.stringify({ ...good, mastodonHosts: ['https://evil.example/*'] }),
        ['mastodonHosts[0]: must be a host name'],
      ],
      [
        JSON.stringify({ ...good, curatorDraft: { ...defaultDraft(), definitions: [{ id: 'Bad Id' }] } }),
        ['curatorDraft.definitions[0]'],
      ],
    ];
    for (const [text, expected] of cases) {
      const parsed = parseSettingsFile(text);
      expect(parsed.ok, text).toBe(false);
      if (parsed.ok) continue;
      const lines = parsed.problems.map((p) => `${p.path}: ${p.message}`);
      for (const part of expected)
        expect(
          lines.some((l) => l.includes(part)),
          `${lines.join('\n')} ∌ ${part}`,
        ).toBe(true);
    }
    expect(await enabledItem.getValue()).toBe(true);
  });
});
