/**
 * What one activity's completion rule (kept in the activity's own module: videos/video-completion.ts,
 * readings/reading-completion.ts, …) tells the progress engine about a learner: done or not, how far, and
 * when the work was done. The engine applies it; it never decides completion itself.
 */
export type ActivityOutcome =
  /** Not done yet: `percent` is how far the learner got (the engine keeps the highest, below 100). */
  | { kind: 'progress'; percent: number }
  /** Done. `workedAt`: when the learner did the work, if not the event's time (a reflection approved later): decides 补学. */
  | { kind: 'complete'; workedAt?: Date }
  /** A completion withdrawn (attendance corrected, approval revoked): its 学时 are reversed in the ledger. */
  | { kind: 'reopen'; reason: string };
