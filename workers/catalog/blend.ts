/**
 * One price per million tokens for a model with separate input and output prices: chat traffic reads about
 * three tokens for every one it writes (the same blend the deploy estimate uses), so 3:1.
 */
export function blendedPerMillion(p: { inputPerMillionUsd: number; outputPerMillionUsd: number }): number {
  return Math.round(((3 * p.inputPerMillionUsd + p.outputPerMillionUsd) / 4) * 10_000) / 10_000;
}
