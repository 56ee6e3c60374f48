import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BRANCH_KINDS } from '../org/branch.entity';
import { NORM_PERIODS, RECORD_REQUIREMENTS, type NormPeriod, type RecordRequirement } from './norm.entity';
import type { BranchKind } from '../org/branch.entity';

/** One norm as the department writes it (and as content/norms/default.yaml holds it). */
export interface NormInput {
  kind: string;
  name: string;
  minCount: number;
  per: NormPeriod;
  branchKinds: BranchKind[];
  requires: RecordRequirement[];
}

export const NORM_KIND_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export const normInputSchema = z.object({
  kind: z.string().regex(NORM_KIND_PATTERN),
  name: z.string().trim().min(1).max(100),
  minCount: z.number().int().min(1).max(100),
  per: z.enum(NORM_PERIODS),
  branchKinds: z.array(z.enum(BRANCH_KINDS)).min(1),
  requires: z.array(z.enum(RECORD_REQUIREMENTS)),
});

const normFileSchema = z.object({ norms: z.array(normInputSchema).min(1) });

/** content/norms/default.yaml from the source tree (src/norms) or the build (dist/src/norms). */
function defaultNormsFile(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'content', 'norms', 'default.yaml');
    if (existsSync(file)) return file;
    dir = dirname(dir);
  }
  throw new Error('content/norms/default.yaml not found');
}

let shipped: NormInput[] | undefined;

/** The norms shipped with the platform (content-as-code): where a year starts when nothing came before it. */
export function shippedNorms(): NormInput[] {
  shipped ??= normFileSchema.parse(parseYaml(readFileSync(defaultNormsFile(), 'utf8'))).norms;
  return shipped;
}

/** How many periods of `per` a year has. */
export const PERIODS_PER_YEAR: Record<NormPeriod, number> = { month: 12, quarter: 4, year: 1 };
