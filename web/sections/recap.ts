// The closing recap: what the lesson showed, in one line per layer, and the question that leads to
// AdaGrad's successors.
import { element, type MountSection } from '../lib/section.js';

/** One line per layer: what the reader saw, in the order they saw it. */
export const RECAP: readonly string[] = [
  'One learning rate cannot suit an anisotropic landscape: small enough for the steep walls, it crawls along the flat floor.',
  'AdaGrad gives every coordinate its own step size, η divided by the root of that coordinate’s sum of squared gradients G.',
  'G is a sum, so it only grows: every step size only shrinks, and on a long road the iterate slows to a crawl.',
  'For sparse features that is the point: a rare coordinate adds few squares to G and keeps a large step for the times it appears.',
  'The code is a few lines per coordinate, and it is the code behind every figure above.',
];

export const mountRecap: MountSection = (root) => {
  const list = element('ol', { class: 'recap-list' });
  for (const line of RECAP) list.append(element('li', {}, line));
  root.append(
    element('h2', {}, 'What AdaGrad taught, and what it left open'),
    element(
      'p',
      {},
      'AdaGrad proved that per-parameter learning rates are the key to stretched landscapes and sparse data. Along the way you saw:',
    ),
    list,
    element(
      'p',
      { class: 'recap-question' },
      'But its memory is infinite: G never forgets, so the steps shrink even where the landscape has changed and a fresh, larger step would help. What if it forgot the distant past?',
    ),
  );
};
