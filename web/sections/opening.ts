// Section 1: the question, where AdaGrad came from, and where it led.
import { valley } from '../../src/index.js';
import { formatValue } from '../figures/format.js';
import { tracePath, type PanelPath } from '../figures/geometry.js';
import { createLandscapePanel } from '../figures/landscape-panel.js';
import { readParams } from '../lib/hash-state.js';
import { element, type MountSection } from '../lib/section.js';
import { SGD_STABLE_LIMIT, VALLEY_PARAMS, valleyRuns } from './valley/model.js';

interface Milestone {
  year: string;
  who: string;
  what: string;
}

/** The road from one shared learning rate to the adaptive methods in use today. */
export const MILESTONES: readonly Milestone[] = [
  {
    year: '1951',
    who: 'Robbins and Monro',
    what: 'Stochastic gradient descent: one learning rate, shrinking over time, shared by every parameter.',
  },
  {
    year: '2011',
    who: 'Duchi, Hazan and Singer',
    what: 'AdaGrad: each coordinate divides its step by the root of the sum of its own squared gradients. Rare features keep large steps; frequent ones calm down.',
  },
  {
    year: '2012',
    who: 'Hinton (RMSProp, in a lecture) and Zeiler (Adadelta)',
    what: 'Replace the ever-growing sum with a decaying average, so the step size stops shrinking to zero.',
  },
  {
    year: '2014',
    who: 'Kingma and Ba',
    what: 'Adam: RMSProp’s average of squares plus momentum, with bias correction. Still AdaGrad’s idea at heart: a step per coordinate.',
  },
];

/** The teaser's runs: Layer 1's defaults (SGD under the limit 2/b the steep walls set, AdaGrad at η = 1). */
export const TEASER = {
  steps: 60,
  sgdLr: VALLEY_PARAMS.sgdLr.defaultValue,
  adagradLr: VALLEY_PARAMS.adagradLr.defaultValue,
};

/**
 * The teaser's two paths: the first steps of Layer 1's runs at its defaults. Layer 1 (and Layer 2,
 * which follows the same runs) then reuse them instead of computing them again while the page loads.
 */
export function teaserPaths(): PanelPath[] {
  const defaults = readParams({ get: (p) => p.defaultValue }, VALLEY_PARAMS);
  const runs = valleyRuns(defaults);
  return [
    tracePath(runs.sgd, TEASER.steps, { key: 'sgd', label: 'SGD', color: 'var(--sgd)', dots: true }),
    tracePath(runs.adagrad, TEASER.steps, { key: 'adagrad', label: 'AdaGrad', color: 'var(--adagrad)' }),
  ];
}

/** A static figure: both paths on one valley, so the question has a picture before any control. */
function teaser(parent: HTMLElement): void {
  const panel = createLandscapePanel(parent, {
    label:
      'Preview: on a stretched valley, SGD zig-zags across the steep walls while AdaGrad heads along the floor',
  });
  panel.root.classList.add('teaser');
  panel.setLandscape(valley);
  panel.setStart(valley.defaultStart);
  panel.drawPaths(teaserPaths());
  const caption = element('figcaption');
  caption.append(
    element('span', { class: 'swatch swatch-sgd' }, 'SGD'),
    document.createTextNode(
      ` (η = ${formatValue(TEASER.sgdLr)}, under the ${formatValue(SGD_STABLE_LIMIT)} beyond which its bounces between the steep walls grow) zig-zags and crawls; `,
    ),
    element('span', { class: 'swatch swatch-adagrad' }, 'AdaGrad'),
    document.createTextNode(
      ` (η = ${formatValue(TEASER.adagradLr)}) heads along the floor. ${TEASER.steps} steps each, computed as the page loads.`,
    ),
  );
  panel.root.append(caption);
}

export const mountOpening: MountSection = (root) => {
  const layout = element('div', { class: 'opening-layout' });
  const text = element('div', { class: 'opening-text' });
  const figure = element('div', { class: 'opening-figure' });
  layout.append(text, figure);
  root.append(element('h2', {}, 'Why should every parameter share the same learning rate?'), layout);
  teaser(figure);
  text.append(
    element(
      'p',
      {},
      'Gradient descent takes one step size and applies it to every parameter. But parameters are not alike: some sit on steep walls where a small step already overshoots, others on a long flat floor where the same step barely moves. Some features appear in every example and get a gradient every time; others — a rare word, a rare user — appear once in ten thousand examples and get a gradient almost never.',
    ),
    element(
      'p',
      {},
      'In 2011 John Duchi, Elad Hazan and Yoram Singer proposed an answer with a guarantee attached: let every coordinate keep its own running sum of squared gradients, and divide its step by the square root of that sum. Coordinates that have seen large or frequent gradients slow down; coordinates that have seen little keep moving. They called it adaptive subgradient methods, AdaGrad.',
    ),
    element(
      'p',
      {},
      'This page lets you play with it. Every path, bar and number below is computed live, in your browser, by the same optimizer code the library ships — the one that matches PyTorch step for step.',
    ),
  );
  const road = element('ol', { class: 'timeline', 'aria-label': 'From SGD to Adam' });
  for (const m of MILESTONES) {
    const item = element('li');
    item.append(element('strong', {}, `${m.year} · ${m.who}. `), document.createTextNode(m.what));
    road.append(item);
  }
  text.append(element('h3', {}, 'The road from here'), road);
};
