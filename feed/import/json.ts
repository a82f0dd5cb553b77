/**
 * JSON input with places: parses a file into a tree whose every value knows its line (jsonc-parser,
 * in strict JSON mode), so a malformed label or review is reported as `file: line 12: labels[3].cts`.
 * Pure: the CLI reads the bytes.
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { ImportError } from './common';

export type { Node as JsonNode } from 'jsonc-parser';

export interface JsonDocument {
  file: string;
  root: Node;
  /** The 1-based line a node starts on. */
  line(node: Node): number;
}

export function parseJsonDocument(file: string, text: string): JsonDocument {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const starts = [0];
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) starts.push(i + 1);
  const line = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || !root) {
    const first = errors[0];
    throw new ImportError([
      {
        file,
        line: first ? line(first.offset) : 1,
        message: `not valid JSON (${first ? printParseErrorCode(first.error) : 'empty file'})`,
      },
    ]);
  }
  return { file, root, line: (node) => line(node.offset) };
}

/** The value node of an object's property, or undefined. */
export function property(node: Node | undefined, name: string): Node | undefined {
  if (node?.type !== 'object') return undefined;
  for (const prop of node.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key?.value === name) return value;
  }
  return undefined;
}

/** An array's items, or a single value as a list of one (JSON-LD allows both). */
export function listOf(node: Node | undefined): Node[] {
  if (!node || node.type === 'null') return [];
  return node.type === 'array' ? (node.children ?? []) : [node];
}

/** A string value, or undefined when the node is absent or not a string. */
export function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}
