// Every critic, in the order they score (the WGSL kernel adds the same terms in one pass).
import type { Critic } from './critic.ts';
import { pathCritic } from './path.ts';
import { goalCritic } from './goal.ts';
import { speedCritic } from './speed.ts';
import { effortCritic } from './effort.ts';
import { limitsCritic } from './limits.ts';
import { geofenceCritic } from './geofence.ts';
import { shallowCritic } from './shallow.ts';
import { informationCritic } from './information.ts';

export type { Critic } from './critic.ts';

export const ALL_CRITICS: readonly Critic[] = [
  pathCritic,
  goalCritic,
  speedCritic,
  effortCritic,
  limitsCritic,
  geofenceCritic,
  shallowCritic,
  informationCritic,
];
