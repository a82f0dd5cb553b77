/**
 * The CLI's one error type: a message a curator can act on (naming the file, row or field), printed
 * without a stack trace by cli/main.ts. Holds no feed-format logic.
 */

/** Bad input or a failed operation the user can fix; `lines` are printed one per line, then exit 1. */
export class CliError extends Error {
  readonly lines: string[];

  constructor(lines: string | string[]) {
    const list = typeof lines === 'string' ? [lines] : lines;
    super(list.join('\n'));
    this.name = 'CliError';
    this.lines = list;
  }
}

/** The message of anything thrown, as one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
