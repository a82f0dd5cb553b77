/**
 * The key of the reader's choice for one label definition in `labelActionsItem` (storage/settings.ts).
 * Its own module, importing nothing, so the content script can use it without the storage library.
 */
export function labelActionKey(feedId: string, definitionId: string): string {
  return `${feedId} ${definitionId}`;
}
