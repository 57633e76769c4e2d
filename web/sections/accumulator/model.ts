// Layer 2's model, no DOM: the same AdaGrad run as Layer 1, opened up step by step (square the
// gradient, add it on, divide by the side, take the step), with the numbers of every caption.
import type { Trace, TraceStep, Vec2 } from '../../../src/index.js';
import { formatPoint } from '../../figures/format.js';
import { stepEllipse, type StepEllipse } from '../../figures/geometry.js';
import { intParam } from '../../lib/hash-state.js';
import { VALLEY_STEPS } from '../valley/model.js';

/** The four moves of one AdaGrad step, in the order the captions walk through them. */
export const STAGES = ['square', 'add', 'divide', 'step'] as const;
export type Stage = (typeof STAGES)[number];

export const ACCUMULATOR_PARAMS = {
  /** The step being explained (0-based: the step from θ_t to θ_{t+1}). */
  step: intParam('a.t', 0, { min: 0, max: VALLEY_STEPS - 1 }),
  stage: intParam('a.stage', 0, { min: 0, max: STAGES.length - 1 }),
} as const;

/** Everything the accumulator figures show for step t, straight from the library's trace. */
export interface AccumulatorView {
  t: number;
  stage: Stage;
  step: TraceStep;
  /** g_t ⊙ g_t. */
  gradSquared: Vec2;
  /** G_{t-1}: the accumulator before this step (zeros before the first). */
  previous: Vec2;
  /** G_t = G_{t-1} + g_t ⊙ g_t, as the optimizer holds it after the step. */
  accumulator: Vec2;
  /** √G_t: the side of each square. */
  side: Vec2;
  /** η / (√G_t + ε) per coordinate, read from the optimizer. */
  rate: Vec2;
  /** The step actually taken: θ_{t+1} − θ_t. */
  move: Vec2;
  /** Step ellipses along the path up to θ_t, the last one at θ_t (the one this step uses). */
  ellipses: StepEllipse[];
}

/** Clamps t to the run (a diverged or short run has fewer steps than the slider). */
export function accumulatorView(run: Trace, t: number, stageIndex: number): AccumulatorView | null {
  if (run.steps.length === 0) return null;
  const k = Math.max(0, Math.min(t, run.steps.length - 1));
  const step = run.steps[k];
  const previous: Vec2 = k > 0 ? run.steps[k - 1].accumulator : [0, 0];
  const [gx, gy] = step.grad;
  return {
    t: k,
    stage: STAGES[Math.max(0, Math.min(stageIndex, STAGES.length - 1))],
    step,
    gradSquared: [gx * gx, gy * gy],
    previous,
    accumulator: step.accumulator,
    side: [Math.sqrt(step.accumulator[0]), Math.sqrt(step.accumulator[1])],
    rate: step.effectiveLr,
    move: [step.to[0] - step.from[0], step.to[1] - step.from[1]],
    ellipses: run.steps.slice(0, k + 1).map((s) => stepEllipse(s.from, s.effectiveLr)),
  };
}

/** The caption of each stage, with the live numbers of this step. */
export function stageCaption(view: AccumulatorView): { title: string; text: string } {
  const { step } = view;
  const n = view.t + 1;
  switch (view.stage) {
    case 'square':
      return {
        title: `Step ${n}, 1 of 4: square the gradient`,
        text: `The gradient at ${formatPoint(step.from)} is g = ${formatPoint(step.grad)}. Squared coordinate by coordinate: ${formatPoint(view.gradSquared)}. The steep y direction gives the much larger square.`,
      };
    case 'add':
      return {
        title: `Step ${n}, 2 of 4: add it on`,
        text: `Each coordinate adds its square to its running sum: G = ${formatPoint(view.previous)} + ${formatPoint(view.gradSquared)} = ${formatPoint(view.accumulator)}. The sum only ever grows.`,
      };
    case 'divide':
      return {
        title: `Step ${n}, 3 of 4: divide by the side`,
        text: `The side of each square is √G = ${formatPoint(view.side)}. Each coordinate’s learning rate is η divided by its side: ${formatPoint(view.rate)}. The ellipse shows these rates: wide where the gradients have been small, narrow where they have been large.`,
      };
    case 'step':
      return {
        title: `Step ${n}, 4 of 4: take the step`,
        text: `Each coordinate moves by its own rate times its gradient: ${formatPoint(view.rate)} ⊙ ${formatPoint(step.grad)} = ${formatPoint([-view.move[0], -view.move[1]])}, so θ goes from ${formatPoint(step.from)} to ${formatPoint(step.to)}.`,
      };
  }
}

/** Moves one stage forward or back, carrying over into the next or previous step. */
export function advance(t: number, stage: number, direction: 1 | -1, lastStep: number): [number, number] {
  const flat = Math.max(
    0,
    Math.min(t * STAGES.length + stage + direction, (lastStep + 1) * STAGES.length - 1),
  );
  return [Math.floor(flat / STAGES.length), flat % STAGES.length];
}
