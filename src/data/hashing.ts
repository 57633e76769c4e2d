/**
 * Feature hashing (the "hashing trick", Weinberger et al. 2009, as in Vowpal Wabbit): a feature
 * named `name` in namespace `namespace` goes to weight index
 *
 *     index = murmur3(name, seed = murmur3(namespace, 0)) mod 2^bits
 *
 * i.e. the namespace is hashed first and its hash seeds the hash of the feature name, so the same
 * word in two namespaces lands in unrelated places. Strings are hashed as UTF-8. The default
 * namespace is the empty string. Unlike VW, a purely numeric feature name is hashed like any other
 * name (VW adds the number to the namespace hash instead), so indices match VW only for non-numeric
 * names. Browser-safe: the explainer hashes words in the browser with these same functions.
 */
import { murmur3 } from './murmur3.js';

export const DEFAULT_BITS = 18;
export const MIN_BITS = 1;
export const MAX_BITS = 28;

/** Throws a RangeError naming the parameter unless `bits` is an integer in 1..28. */
export function checkBits(bits: number, parameter = 'bits'): number {
  if (!Number.isInteger(bits) || bits < MIN_BITS || bits > MAX_BITS) {
    throw new RangeError(
      `${parameter} must be an integer from ${MIN_BITS} to ${MAX_BITS} (2^${MAX_BITS} weights at most), got ${String(bits)}`,
    );
  }
  return bits;
}

/** The mask that keeps the low `bits` bits of a hash. */
export function hashMask(bits: number): number {
  checkBits(bits);
  return (1 << bits) - 1;
}

/**
 * The seed a namespace gives its feature names: murmur3(namespace, 0). The default namespace ''
 * hashes to 0 (MurmurHash3 of no bytes with seed 0), so its names are hashed with seed 0, as in VW.
 */
export function namespaceSeed(namespace: string): number {
  return murmur3(namespace, 0);
}

/** Weight index of feature `name` in `namespace`, in [0, 2^bits). */
export function featureIndex(namespace: string, name: string, bits: number = DEFAULT_BITS): number {
  return (murmur3(name, namespaceSeed(namespace)) & hashMask(bits)) >>> 0;
}

/**
 * Vowpal Wabbit's hash of its constant (bias) feature, 11650396: the index a hashed bias term takes
 * when a model keeps its bias among the weights, as VW does.
 */
export const CONSTANT_HASH = 11650396;

/** Index of the constant (bias) feature in a 2^bits weight table. */
export function constantFeatureIndex(bits: number = DEFAULT_BITS): number {
  return (CONSTANT_HASH & hashMask(bits)) >>> 0;
}
