/**
 * The shape of one CLI command (its options, usage and help text) and the helpers that read its
 * parsed arguments. Commands hold no feed-format logic: they call feed/ and present the result.
 */
import { CliError } from './errors';
import { printable } from './printable';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help after the option name, e.g. `<keyfile>`. */
  value?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments and options, e.g. `<source> --key <keyfile> --out <dir> [options]`. */
  usage: string;
  /** Longer help, shown by `<command> --help`. */
  details: string;
  /** How many positionals the command takes (exactly, or at least when `variadic`). */
  positionals: string[];
  /** The last positional may repeat (`<files…>`). */
  variadic?: boolean;
  options: Record<string, OptionSpec>;
  /** Resolves to the exit code. */
  run(positionals: string[], values: OptionValues): Promise<number>;
}

/** A string option's value, or undefined when absent. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A required string option. */
export function requiredOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new CliError(`--${name} is required`);
  return value;
}

/** A whole-number option within [min, max], or undefined when absent. */
export function integerOption(
  values: OptionValues,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new CliError(`--${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

/**
 * Prints lines to stdout. Each argument is one line: anything in it a terminal would act on (an
 * escape sequence, a line break, a bidi control) is shown escaped (cli/printable.ts), because feed
 * text, file names and server answers reach these lines.
 */
export function say(...lines: string[]): void {
  for (const line of lines) process.stdout.write(`${printable(line)}\n`);
}

/** Prints lines to stderr, escaped like say's. */
export function warn(...lines: string[]): void {
  for (const line of lines) process.stderr.write(`${printable(line)}\n`);
}
