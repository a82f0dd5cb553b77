/**
 * context-lens-feed: the curator CLI. Parses arguments (node:util parseArgs), dispatches to one
 * command, and turns every failure into a message and exit code 1 — never a stack trace.
 *
 *   argv ──parseArgs──▶ command.run ──▶ feed/ (format, signing, verification)
 *                            │
 *                            └──▶ cli/io.ts (files, http) and stdout/stderr
 *
 * Holds no feed-format logic of its own.
 */
import { parseArgs } from 'node:util';
import type { Command, OptionValues } from './command';
import { say, warn } from './command';
import { buildCommand } from './commands/build';
import { importCommand } from './commands/import';
import { inspectCommand } from './commands/inspect';
import { keygenCommand } from './commands/keygen';
import { serveCommand } from './commands/serve';
import { verifyCommand } from './commands/verify';
import { CliError, errorMessage } from './errors';

const PROGRAM = 'context-lens-feed';

export const COMMANDS: Command[] = [
  keygenCommand,
  importCommand,
  buildCommand,
  verifyCommand,
  inspectCommand,
  serveCommand,
];

function mainHelp(): string[] {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `${PROGRAM} — build, sign, check and serve Context Lens label feeds`,
    '',
    `Usage: ${PROGRAM} <command> [arguments] [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help  Show help (also after a command: build --help)',
    '',
    'Quick start: docs/cli.md',
  ];
}

function commandHelp(command: Command): string[] {
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, spec.description] as const;
  });
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: ${PROGRAM} ${command.name} ${command.usage}`,
    '',
    command.summary,
    '',
    ...command.details.split('\n'),
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
  ];
}

/** Runs the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof CliError) {
      warn(...error.lines.map((line) => `${PROGRAM}: ${line}`));
    } else {
      warn(`${PROGRAM}: unexpected error: ${errorMessage(error)}`);
    }
    return 1;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    say(...mainHelp());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliError(`unknown command "${name}"; run "${PROGRAM} --help" for the list`);

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([key, spec]) => [
            key,
            spec.short ? { type: spec.type, short: spec.short } : { type: spec.type },
          ]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(`${name}: ${errorMessage(error)} (see "${PROGRAM} ${name} --help")`);
  }
  if (parsed.values.help) {
    say(...commandHelp(command));
    return 0;
  }
  const expected = command.positionals.length;
  const count = parsed.positionals.length;
  if (command.variadic ? count < expected : count !== expected) {
    const wanted = command.positionals.join(' ');
    const problem = count < expected ? `missing ${wanted}` : 'too many arguments';
    throw new CliError(`${name}: ${problem}; usage: ${PROGRAM} ${name} ${command.usage}`);
  }
  // No option is declared `multiple`, so every value is a string or a boolean.
  return command.run(parsed.positionals, parsed.values as OptionValues);
}
