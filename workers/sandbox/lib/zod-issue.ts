import type { z } from "zod";

/**
 * A union failure ("string or array of blocks") says only "invalid input"; the real APIs name the
 * innermost field that was wrong. This picks the union branch that got furthest into the value (its issue
 * has the longest path) and returns that issue with its full path, so the stand-ins can word it precisely.
 */
export function innermostIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || (issue as { discriminator?: string }).discriminator || !issue.errors.length) return issue;
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first && (!best || first.path.length > best.path.length)) best = first;
  }
  if (!best || best.path.length === 0) return issue;
  return innermostIssue({ ...best, path: [...issue.path, ...best.path] } as z.core.$ZodIssue);
}
