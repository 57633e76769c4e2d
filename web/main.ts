// The page shell: one URL-hash host, every lesson section mounted into its <section>.
import 'katex/dist/katex.min.css';
import { createHashHost } from './lib/hash-state.js';
import { element, type MountSection } from './lib/section.js';
import { mountAccumulator } from './sections/accumulator/view.js';
import { mountFixing } from './sections/fixing/view.js';
import { mountFlaw } from './sections/flaw/view.js';
import { mountFullMatrix } from './sections/full-matrix/view.js';
import { mountImplementation } from './sections/implementation/view.js';
import { mountL1Sparsity } from './sections/l1-sparsity/view.js';
import { mountOpening } from './sections/opening.js';
import { mountRecap } from './sections/recap.js';
import { mountSparse } from './sections/sparse/view.js';
import { mountValley } from './sections/valley/view.js';

/** The lesson in reading order: each id is a <section> of index.html. */
const sections: Array<[id: string, mount: MountSection]> = [
  ['opening', mountOpening],
  ['valley', mountValley],
  ['accumulator', mountAccumulator],
  ['flaw', mountFlaw],
  ['sparse', mountSparse],
  ['implementation', mountImplementation],
  ['recap', mountRecap],
  ['fixing', mountFixing],
  ['full-matrix', mountFullMatrix],
  ['l1-sparsity', mountL1Sparsity],
];

/**
 * How many sections a reader sees first: on a laptop the opening fills the screen (the valley begins
 * ~960 px down at 1280 x 900). They are painted before the rest of the lesson mounts.
 */
const FIRST_SCREEN = 1;

/** Resolves after the browser has had the chance to paint what is in the document now. */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    // A hidden tab gets no animation frames: it only needs the task boundary.
    if (document.visibilityState !== 'visible') setTimeout(resolve, 0);
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

// Milliseconds from navigation start until this shell runs: the bundle fetched, compiled and its
// modules evaluated. Read by bench/page-load.ts with readyMs and each section's mountMs.
document.documentElement.dataset.scriptStartMs = performance.now().toFixed(1);

const host = createHashHost(window);
// Time every state change across all sections (listeners run in the order they were added): the
// browser tests read it to report how long one slider move or drag step takes to redraw the page.
let changeStarted = 0;
host.onChange(() => (changeStarted = performance.now()));
for (const [index, [id, mount]] of sections.entries()) {
  if (index === FIRST_SCREEN) {
    // What is on screen first is painted before the rest of the lesson is computed and laid out.
    // Navigation start to that paint is read by bench/page-load.ts.
    await nextPaint();
    document.documentElement.dataset.firstScreenMs = String(Math.round(performance.now()));
  }
  const root = document.getElementById(id);
  if (root === null) throw new Error(`web/main.ts: index.html has no <section id="${id}">`);
  const started = performance.now();
  try {
    mount(root, host);
    root.dataset.mounted = 'true';
    root.dataset.mountMs = (performance.now() - started).toFixed(1);
  } catch (error) {
    // One broken section must not blank the whole lesson; the message is still an error for the tests.
    console.error(`Section "${id}" failed to mount:`, error);
    root.append(element('p', { class: 'section-error', role: 'alert' }, `This section failed to load.`));
  }
}
host.onChange(() => {
  document.documentElement.dataset.lastChangeMs = (performance.now() - changeStarted).toFixed(2);
});
// Milliseconds from navigation start to every section drawn: read by the browser tests.
document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
document.documentElement.dataset.ready = 'true';
