// dom-accessibility-api 0.5 ships its types beside dist/index.mjs, but its package.json "exports"
// names no "types" condition, so TypeScript cannot find them; these are the two functions used.
declare module 'dom-accessibility-api' {
  export function computeAccessibleName(element: Element): string;
  export function getRole(element: Element): string | null;
}
