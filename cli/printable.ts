/**
 * The CLI's one escaping rule for the terminal: every character that could move the cursor, start
 * an escape sequence, break a line or reorder the text around it (C0 and C1 controls, DEL, line and
 * paragraph separators, bidirectional controls) is shown as a visible escape such as `\x1B` or
 * `\u202E`. cli/command.ts's say/warn apply it to every line they print, so feed text, file names
 * and server answers can never paint a line of their own. Never used for files the CLI writes.
 */

/** Characters a terminal acts on instead of showing. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this module is for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
    : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` with every terminal control character shown as a visible escape; one line, always. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeOne);
}
