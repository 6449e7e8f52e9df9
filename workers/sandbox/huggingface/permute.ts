/**
 * Bijections on [0, n) that let the generated catalog be read in any sort order without materialising
 * it: a model's rank under a sort is a cheap permutation of its index, so page k of that order is just
 * positions k·limit.. mapped back to indices.
 */

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Inverse of a modulo n (a and n coprime), by the extended Euclidean algorithm. */
export function modInverse(a: number, n: number): number {
  let [oldR, r] = [a % n, n];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % n) + n) % n;
}

/** (a·x + c) mod n, exact for n up to ~9·10^7 (a·x stays below 2^53). */
function mulMod(a: number, x: number, n: number): number {
  return (a * x) % n;
}

/** x -> (a·x + c) mod n with a coprime to n: spreads neighbours far apart ("unrelated" orders). */
export class AffinePermutation {
  private readonly a: number;
  private readonly aInv: number;
  private readonly c: number;

  constructor(readonly n: number, ratio: number, offset: number) {
    if (n <= 1) {
      this.a = 1; this.aInv = 1; this.c = 0;
      return;
    }
    let a = Math.max(1, Math.floor(n * ratio)) | 0;
    while (gcd(a, n) !== 1) a++;
    this.a = a % n || 1;
    this.aInv = modInverse(this.a, n);
    this.c = offset % n;
  }

  forward(x: number): number {
    return this.n <= 1 ? 0 : (mulMod(this.a, x, this.n) + this.c) % this.n;
  }

  inverse(y: number): number {
    return this.n <= 1 ? 0 : mulMod(this.aInv, (y - this.c + this.n) % this.n, this.n);
  }
}

const BLOCK = 64;
const MUL = 37;
const MUL_INV = 45; // 37 · 45 = 1665 = 26 · 64 + 1
const ADD = 11;

/** Shuffles within aligned blocks of 64 (the trailing partial block stays in place): "correlated" orders. */
export class BlockPermutation {
  constructor(readonly n: number) {}

  static readonly BLOCK = BLOCK;

  forward(x: number): number {
    const start = x - (x % BLOCK);
    if (start + BLOCK > this.n) return x;
    return start + ((((x - start) * MUL + ADD) % BLOCK));
  }

  inverse(y: number): number {
    const start = y - (y % BLOCK);
    if (start + BLOCK > this.n) return y;
    return start + ((((y - start - ADD + BLOCK * BLOCK) % BLOCK) * MUL_INV) % BLOCK);
  }
}
