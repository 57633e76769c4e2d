// Section 1: the question, where AdaGrad came from, and where it led.
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

export const mountOpening: MountSection = (root) => {
  root.append(
    element('h2', {}, 'Why should every parameter share the same learning rate?'),
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
  root.append(element('h3', {}, 'The road from here'), road);
};
