import { AffinePermutation, BlockPermutation } from "./permute";

/**
 * Where the generated catalog's sort keys come from: index i is the downloads rank; likes and
 * lastModified ranks are block-shuffles (of the downloads and createdAt ranks), trendingScore and
 * createdAt ranks affine permutations of i. Each key is a decreasing function of its rank, so position
 * p of any order is one permutation away from its model, and lastModified never precedes createdAt
 * (a model's two date ranks share a block of 64).
 */

const END = Date.parse("2026-11-20T00:00:00.000Z");
const START = Date.parse("2022-03-02T23:29:04.000Z");

/** Per-size permutations and date steps, cached: a catalog of n models is consulted many times per page. */
export class Layout {
  readonly likes: BlockPermutation;
  readonly trending: AffinePermutation;
  readonly created: AffinePermutation;
  readonly modified: BlockPermutation;
  readonly step: number;
  readonly fineStep: number;

  constructor(readonly n: number) {
    this.likes = new BlockPermutation(n);
    this.trending = new AffinePermutation(n, 0.6180339887, Math.floor(n * 0.3));
    this.created = new AffinePermutation(n, 0.7548776662, 17);
    this.modified = new BlockPermutation(n);
    this.step = Math.max(1, Math.floor((END - START) / Math.max(1, n)));
    this.fineStep = Math.max(1, Math.floor(this.step / BlockPermutation.BLOCK));
  }

  downloadsAt(rank: number): number {
    return Math.floor(2_000_000 / Math.pow(1 + rank / 3, 1.05));
  }
  likesAt(rank: number): number {
    return Math.floor(800 / Math.pow(1 + rank / 5, 0.9));
  }
  trendingAt(rank: number): number {
    return Math.floor(120 / Math.pow(1 + rank / 20, 1.3));
  }
  createdAt(rank: number): number {
    const blockStart = rank - (rank % BlockPermutation.BLOCK);
    return END - (blockStart + BlockPermutation.BLOCK) * this.step - (rank - blockStart) * this.fineStep;
  }
  modifiedAt(rank: number): number {
    return END - rank * this.step;
  }

  // rank of index i under each order, and the index at a rank
  likesRank(i: number): number { return this.likes.forward(i); }
  indexAtLikesRank(r: number): number { return this.likes.inverse(r); }
  trendingRank(i: number): number { return this.trending.inverse(i); }
  indexAtTrendingRank(r: number): number { return this.trending.forward(r); }
  createdRank(i: number): number { return this.created.inverse(i); }
  indexAtCreatedRank(r: number): number { return this.created.forward(r); }
  modifiedRank(i: number): number { return this.modified.inverse(this.createdRank(i)); }
  indexAtModifiedRank(r: number): number { return this.created.forward(this.modified.forward(r)); }
}

const layouts = new Map<number, Layout>();
export function layoutFor(n: number): Layout {
  let layout = layouts.get(n);
  if (!layout) {
    if (layouts.size > 8) layouts.clear();
    layout = new Layout(n);
    layouts.set(n, layout);
  }
  return layout;
}
