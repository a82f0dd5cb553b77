/**
 * Component-test support: a browser.i18n.getMessage that reads the real messages.json (so tests
 * find controls by the English a reader sees) and helpers shared by the UI tests. Test-only.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import messages from '../public/_locales/en/messages.json';

interface MessageEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const table = messages as unknown as Record<string, MessageEntry>;

/** Chrome's substitution rules: `$NAME$` → its placeholder's content, then `$1`…`$9` → substitutions. */
export function formatMessage(key: string, substitutions: string[] = []): string {
  const entry = table[key];
  if (!entry) return '';
  let text = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const placeholder = entry.placeholders?.[name.toLowerCase()];
    return placeholder ? placeholder.content : whole;
  });
  text = text.replace(/\$(\d)/g, (_whole, n: string) => substitutions[Number(n) - 1] ?? '');
  return text.replace(/\$\$/g, '$');
}

export function installI18n(): void {
  fakeBrowser.i18n.getMessage = ((key: string, subs?: string | string[]) =>
    formatMessage(
      key,
      typeof subs === 'string' ? [subs] : (subs ?? []),
    )) as typeof fakeBrowser.i18n.getMessage;
}

export function messageKeys(): string[] {
  return Object.keys(table);
}

/** Whether a checkbox is ticked (happy-dom has no jest-dom matchers). */
export function checked(element: Element): boolean {
  return (element as HTMLInputElement).checked;
}
