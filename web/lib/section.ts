// The contract between the page shell (main.ts) and every lesson section: a section reads and writes
// its state only through the host, so the whole page state lives in the URL hash and a shared link
// reproduces the same figures.

/** One typed URL-hash parameter: parse returns undefined for anything invalid (falls back to default). */
export interface HashParam<T> {
  key: string;
  defaultValue: T;
  parse(raw: string): T | undefined;
  format(value: T): string;
}

export interface SectionHost {
  get<T>(p: HashParam<T>): T;
  /** Writes the hash (history.replaceState) and notifies listeners. */
  set<T>(p: HashParam<T>, value: T): void;
  /** Called after any hash change (including back/forward and a pasted link). */
  onChange(listener: () => void): void;
  /** prefers-reduced-motion: draw finished paths, don't animate. */
  readonly reducedMotion: boolean;
}

/** A section draws itself into root and keeps its figures in sync with the host's state. */
export type MountSection = (root: HTMLElement, host: SectionHost) => void;

/**
 * Creates an element with text content only: state never reaches the DOM as HTML.
 * Attributes are set with setAttribute, so values are never parsed as markup either.
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

let uniqueIdCounter = 0;
/** A document-unique id for label/for and aria-describedby pairs. */
export function uniqueId(prefix: string): string {
  uniqueIdCounter += 1;
  return `${prefix}-${uniqueIdCounter}`;
}

/**
 * Calls start once, the first time target is on screen. An animation below the fold waits for its
 * reader instead of finishing unseen, and costs nothing while the page loads.
 */
export function onFirstVisible(target: Element, start: () => void): void {
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    start();
  });
  observer.observe(target);
}
