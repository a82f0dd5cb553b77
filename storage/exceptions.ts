/**
 * "Not on this account": the reader's exceptions (a label, or every label, hidden beside one account)
 * and the pure rules for adding, removing and matching them. The storage item is in
 * storage/settings.ts; this module imports nothing, so the lens's pure decide step can use it.
 */

/**
 * "Not on this account": a label (or every label) the reader hid beside one account. The account
 * is its lookup key (`account:x:jack`, `account:fedi:user@host`, feed/targets.ts).
 */
export interface AccountException {
  account: string;
  /** Hide only this label; absent: every label beside this account. */
  label?: { feedId: string; labelId: string; title: string };
  /** When the reader chose it (ISO). */
  added: string;
}

function sameException(a: AccountException, b: AccountException): boolean {
  return (
    a.account === b.account && a.label?.feedId === b.label?.feedId && a.label?.labelId === b.label?.labelId
  );
}

/** The list with `exception` added (once), newest first. */
export function withException(
  list: readonly AccountException[],
  exception: AccountException,
): AccountException[] {
  return [exception, ...list.filter((e) => !sameException(e, exception))];
}

/** The list without `exception`. */
export function withoutException(
  list: readonly AccountException[],
  exception: AccountException,
): AccountException[] {
  return list.filter((e) => !sameException(e, exception));
}

/** Whether the reader hid this label (by feed and label id) beside this account. */
export function isExcepted(
  list: readonly AccountException[],
  account: string,
  label: { feedId: string; labelId: string },
): boolean {
  return list.some(
    (e) =>
      e.account === account &&
      (e.label === undefined || (e.label.feedId === label.feedId && e.label.labelId === label.labelId)),
  );
}
