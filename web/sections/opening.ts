// Section 1: the question, where AdaGrad came from, and where it led.
import { select } from 'd3-selection';
import { Adagrad, SGD, trace, valley, type Trace } from '../../src/index.js';
import { clipPolyline, createLandscapePanel, polylinePath } from '../lib/plot.js';
import { element, type MountSection } from '../lib/section.js';

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

/**
 * The teaser's two runs from the valley section's defaults: SGD at η = 0.35, just under the 2/b = 0.4
 * that the steep walls allow, and AdaGrad at η = 1.
 */
export function teaserRuns(): { sgd: Trace; adagrad: Trace } {
  const start = valley.defaultStart;
  return {
    sgd: trace((p) => new SGD(p, { lr: 0.35 }), valley, start, 60),
    adagrad: trace((p) => new Adagrad(p, { lr: 1 }), valley, start, 60),
  };
}

/** A static figure: both paths on one valley, so the question has a picture before any control. */
function teaser(parent: HTMLElement): void {
  const runs = teaserRuns();
  const panel = createLandscapePanel(parent, {
    label:
      'Preview: on a stretched valley, SGD zig-zags across the steep walls while AdaGrad heads along the floor',
    color: 'var(--sgd)',
  });
  panel.root.classList.add('teaser');
  panel.setLandscape(valley);
  panel.setStart(valley.defaultStart);
  panel.drawPath({ trace: runs.sgd, upTo: runs.sgd.steps.length, arrows: false });
  const clipped = clipPolyline(runs.adagrad.path, valley.view);
  select(panel.svg)
    .select('.path-layer')
    .append('path')
    .attr('class', 'trajectory')
    .attr('stroke', 'var(--adagrad)')
    .attr('d', clipped.runs.map((run) => polylinePath(run, panel.x, panel.y)).join(''));
  const caption = element('figcaption');
  caption.append(
    element('span', { class: 'swatch swatch-sgd' }, 'SGD'),
    document.createTextNode(' (η = 0.35, the most the steep walls allow) zig-zags and crawls; '),
    element('span', { class: 'swatch swatch-adagrad' }, 'AdaGrad'),
    document.createTextNode(' (η = 1) heads along the floor. 60 steps each, computed as the page loads.'),
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
