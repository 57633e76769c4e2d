export type { Landscape, LandscapeId, Vec2 } from './types.js';
export { valley, longValley, rotated, stretchedValley, rotatedQuadratic } from './quadratic.js';
export { rosenbrock, beale, himmelblau, saddle } from './classic.js';
export { LANDSCAPES, LANDSCAPE_IDS, getLandscape } from './registry.js';
export { trace } from './trace.js';
export type {
  Trace,
  TraceStep,
  TraceOptions,
  TraceOptimizer,
  TraceParams,
  OptimizerFactory,
} from './trace.js';
