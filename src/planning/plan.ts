// What a survey planner hands to guidance: straight legs in the local NED frame.

export type LegKind = 'lane' | 'transit';

/** One straight leg. Lanes are where the survey data count; transits connect them. */
export interface Leg {
  fromNorthM: number;
  fromEastM: number;
  toNorthM: number;
  toEastM: number;
  kind: LegKind;
  /** Speed over ground to hold on this leg. */
  speedMps: number;
}

export interface SurveyPlan {
  legs: Leg[];
}

export function legLengthM(leg: Leg): number {
  return Math.hypot(leg.toNorthM - leg.fromNorthM, leg.toEastM - leg.fromEastM);
}

/** Total length of the plan, and of its lanes alone. */
export function planLengthM(plan: SurveyPlan): { totalM: number; lanesM: number } {
  let totalM = 0;
  let lanesM = 0;
  for (const leg of plan.legs) {
    const l = legLengthM(leg);
    totalM += l;
    if (leg.kind === 'lane') lanesM += l;
  }
  return { totalM, lanesM };
}
