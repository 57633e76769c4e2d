// Page-load benchmark of the lesson: loads the BUILT page (web/dist) several times in Debian's
// chromium and reports how long it takes from navigation start until the first screen (the opening)
// is painted (firstScreenMs), until every section is mounted (readyMs, set by web/main.ts) and until
// the first frame after that has been drawn (paintedMs), with each section's mount time. After that it
// scrolls to the ℓ1 section, whose λ sweep trains once it is on screen, and times the sweep (sweepMs,
// from the scroll to every λ trained). Then it drags the start point of the valley and "Beyond the
// diagonal" figures for 1.5 s each, several times, and reports the frame times inside the page while
// they are dragged (bench/page-drag.ts). It builds nothing: `npm run bench:page-load` builds the page
// and runs it 15 times, with 5 drags of each figure.
//
//   npx tsx bench/page-load.ts                       # 9 loads of web/dist, 3 drags of each figure
//   npx tsx bench/page-load.ts --runs 15 --drags 5   # more of each (--drags 0: no drags)
//   npx tsx bench/page-load.ts --dist web/dist --dist /tmp/old-dist   # two builds, loads interleaved
//
// Every load is a fresh browser context (empty cache, like a first visit) with the default motion
// preference. Results go to bench/page-load-results.json. Timings, not assertions: the page's target
// (all figures drawn well within a second on the 2-core machine) is read off these medians.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, openBrowserSession, type BrowserSession } from '../test/browser/harness.js';
import {
  DRAG_FIGURES,
  dragOnce,
  summarizeDrags,
  type DragFigureId,
  type DragSample,
  type DragSummary,
} from './page-drag.js';
import { median } from './stats.js';

interface LoadSample {
  /** Navigation start to every section mounted (performance.now() in web/main.ts). */
  readyMs: number;
  /** Navigation start to the end of the first frame after readyMs (every figure laid out and painted). */
  paintedMs: number | null;
  /** Navigation start to the first section (what a laptop screen shows) painted, before the rest mount. */
  firstScreenMs: number | null;
  /** Navigation start to main.ts's body starting (the bundle fetched, parsed and its imports run). */
  scriptStartMs: number | null;
  responseEndMs: number;
  domContentLoadedMs: number;
  loadEventMs: number;
  firstContentfulPaintMs: number | null;
  /** Bytes of JavaScript transferred (all chunks) and the number of chunks. */
  scriptBytes: number;
  scriptCount: number;
  mountMs: Record<string, number>;
  /** The ℓ1 section scrolled into view to its λ sweep done (the sample fetched and hashed, 26 trainings). */
  sweepMs: number | null;
}

interface Summary {
  dist: string;
  runs: number;
  median: Record<string, number | null>;
  min: Record<string, number | null>;
  max: Record<string, number | null>;
  medianMountMs: Record<string, number>;
  /** Frame times while each draggable figure's start point is dragged (absent with --drags 0). */
  drag?: Record<DragFigureId, DragSummary>;
  samples: LoadSample[];
}

function parseArgs(argv: string[]): { runs: number; drags: number; dists: string[] } {
  let runs = 9;
  let drags = 3;
  const dists: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') {
      runs = Number(argv[++i]);
      if (!(Number.isInteger(runs) && runs > 0)) throw new Error(`--runs wants a positive integer`);
    } else if (arg === '--drags') {
      drags = Number(argv[++i]);
      if (!(Number.isInteger(drags) && drags >= 0)) throw new Error(`--drags wants an integer >= 0`);
    } else if (arg === '--dist') {
      const dist = argv[++i];
      if (dist === undefined) throw new Error('--dist wants a folder');
      dists.push(dist);
    } else {
      throw new Error(`bench/page-load.ts: unknown argument "${arg}" (use --runs N, --drags N, --dist DIR)`);
    }
  }
  return { runs, drags, dists: dists.length > 0 ? dists : [join('web', 'dist')] };
}

async function loadOnce(session: BrowserSession): Promise<LoadSample> {
  const { page, problems } = await session.newPage();
  try {
    // Measured by the bench itself, so that any build can be compared: when web/main.ts marks the page
    // ready, wait for the next frame and a task after it (that frame's layout and paint are done).
    // The page's own promise, not Playwright's polling, which would run in the page while it loads.
    await page.addInitScript(() => {
      const done = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.documentElement?.dataset.ready !== 'true') return;
          observer.disconnect();
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              document.documentElement.dataset.benchPaintedMs = performance.now().toFixed(1);
              resolve();
            };
            channel.port2.postMessage(null);
          });
        });
        // The init script runs before <html> exists: watch the document.
        observer.observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
      });
      Object.assign(window, { benchPainted: done });
    });
    await page.goto(session.baseUrl, { waitUntil: 'commit' });
    await page.evaluate(() => (window as unknown as { benchPainted: Promise<void> }).benchPainted);
    const sample = await page.evaluate(() => {
      const data = document.documentElement.dataset;
      // (No named helper functions in here: tsx would wrap them in a __name() the page does not have.)
      const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) =>
        r.name.endsWith('.js'),
      );
      return {
        readyMs: Number(data.readyMs),
        paintedMs: data.benchPaintedMs === undefined ? null : Number(data.benchPaintedMs),
        firstScreenMs: data.firstScreenMs === undefined ? null : Number(data.firstScreenMs),
        scriptStartMs: data.scriptStartMs === undefined ? null : Number(data.scriptStartMs),
        responseEndMs: navigation.responseEnd,
        domContentLoadedMs: navigation.domContentLoadedEventEnd,
        loadEventMs: navigation.loadEventEnd,
        firstContentfulPaintMs: fcp === undefined ? null : fcp.startTime,
        scriptBytes: scripts.reduce((sum, r) => sum + r.transferSize, 0),
        scriptCount: scripts.length,
        mountMs: Object.fromEntries(
          [...document.querySelectorAll<HTMLElement>('main > section')].map((s) => [
            s.id,
            Number(s.dataset.mountMs),
          ]),
        ),
      };
    });
    // Not part of the load: the sweep starts when its figure comes into view (a build from before the
    // sweep has none to time).
    let sweepMs: number | null = null;
    const sweepChart = page.locator('#l1-sparsity svg.line-chart').first();
    if ((await sweepChart.count()) > 0) {
      const scrolled = Date.now();
      await sweepChart.scrollIntoViewIfNeeded();
      await page.waitForSelector('#l1-sparsity[data-swept="true"]', { timeout: 30_000 });
      sweepMs = Date.now() - scrolled;
    }
    if (problems.length > 0) throw new Error(`the page logged problems: ${JSON.stringify(problems)}`);
    return { ...sample, sweepMs };
  } finally {
    await page.context().close();
  }
}

/** One drag of a figure in a freshly loaded page (loaded as a reader would, then scrolled to it). */
async function dragSample(
  session: BrowserSession,
  figure: (typeof DRAG_FIGURES)[number],
): Promise<DragSample> {
  const { page, problems } = await session.newPage();
  try {
    await page.goto(session.baseUrl);
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached' });
    const sample = await dragOnce(page, figure);
    if (problems.length > 0) throw new Error(`the page logged problems: ${JSON.stringify(problems)}`);
    return sample;
  } finally {
    await page.context().close();
  }
}

function summarize(dist: string, samples: LoadSample[]): Summary {
  const keys = [
    'readyMs',
    'paintedMs',
    'firstScreenMs',
    'scriptStartMs',
    'responseEndMs',
    'domContentLoadedMs',
    'loadEventMs',
    'firstContentfulPaintMs',
    'scriptBytes',
    'scriptCount',
    'sweepMs',
  ] as const;
  const pick = (f: (xs: number[]) => number) =>
    Object.fromEntries(
      keys.map((k) => {
        const xs = samples.map((s) => s[k]).filter((v): v is number => v !== null);
        return [k, xs.length === 0 ? null : Math.round(f(xs) * 10) / 10];
      }),
    );
  const sections = Object.keys(samples[0].mountMs);
  return {
    dist,
    runs: samples.length,
    median: pick(median),
    min: pick((xs) => Math.min(...xs)),
    max: pick((xs) => Math.max(...xs)),
    medianMountMs: Object.fromEntries(sections.map((id) => [id, median(samples.map((s) => s.mountMs[id]))])),
    samples,
  };
}

async function main(): Promise<void> {
  const { runs, drags, dists } = parseArgs(process.argv.slice(2));
  const sessions: BrowserSession[] = [];
  try {
    for (const dist of dists) {
      // The harness serves WEB_DIST (relative to the repository root) when it is set.
      process.env.WEB_DIST = resolve(dist);
      sessions.push(await openBrowserSession());
    }
    // One warm-up load per build (the first load also pays for starting the renderer), not counted.
    for (const session of sessions) await loadOnce(session);
    const samples: LoadSample[][] = dists.map(() => []);
    // Interleaved: a busy neighbour on the shared machine slows every build alike.
    for (let run = 0; run < runs; run++) {
      for (let d = 0; d < sessions.length; d++) samples[d].push(await loadOnce(sessions[d]));
    }
    const summaries = dists.map((dist, d) => summarize(dist, samples[d]));
    // Drags after the loads (a drag is not a load): interleaved between builds and figures alike.
    if (drags > 0) {
      const dragged = dists.map(() => new Map<DragFigureId, DragSample[]>());
      for (let run = 0; run < drags; run++) {
        for (const figure of DRAG_FIGURES) {
          for (let d = 0; d < sessions.length; d++) {
            const list = dragged[d].get(figure.id) ?? [];
            list.push(await dragSample(sessions[d], figure));
            dragged[d].set(figure.id, list);
          }
        }
      }
      summaries.forEach((s, d) => {
        s.drag = Object.fromEntries(
          [...dragged[d]].map(([id, list]) => [id, summarizeDrags(list)]),
        ) as Record<DragFigureId, DragSummary>;
      });
    }
    for (const s of summaries) {
      console.log(`\n${s.dist}: ${s.runs} loads`);
      console.log(
        `  navigation to ready:   median ${s.median.readyMs} ms, min ${s.min.readyMs}, max ${s.max.readyMs}`,
      );
      console.log(
        `  navigation to painted: median ${s.median.paintedMs} ms, min ${s.min.paintedMs}, max ${s.max.paintedMs}`,
      );
      console.log(
        `  first screen painted: median ${s.median.firstScreenMs} ms, min ${s.min.firstScreenMs}, max ${s.max.firstScreenMs}`,
      );
      console.log(
        `  script start ${s.median.scriptStartMs} ms, first contentful paint ${s.median.firstContentfulPaintMs} ms, ` +
          `${s.median.scriptCount} scripts, ${Math.round((s.median.scriptBytes ?? 0) / 1024)} KiB`,
      );
      console.log(`  median mount ms per section: ${JSON.stringify(s.medianMountMs)}`);
      console.log(
        `  l1 sweep, section on screen to every λ trained: median ${s.median.sweepMs} ms, min ${s.min.sweepMs}, max ${s.max.sweepMs}`,
      );
      for (const [id, d] of Object.entries(s.drag ?? {})) {
        console.log(
          `  dragging #${id} (${d.drags} × 1.5 s, ${d.movesPerDrag} pointer moves and ${d.changesPerDrag} redraws a drag, ${d.frames} frames): frame time median ${d.medianFrameMs} ms ` +
            `(${d.medianFps} fps), p95 ${d.p95FrameMs} ms, ${(100 * d.missedFraction).toFixed(1)}% of frames over 25 ms; ` +
            `page's work per pointer move median ${d.medianChangeMs} ms, p95 ${d.p95ChangeMs} ms`,
        );
      }
    }
    const target = join(REPO_ROOT, 'bench', 'page-load-results.json');
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
      builds: summaries,
    };
    writeFileSync(target, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote ${target}`);
  } finally {
    for (const session of sessions) await session.close();
  }
}

await main();
