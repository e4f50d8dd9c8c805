import { InitialSchema1764000000000 } from '../../migrations/1764000000000-InitialSchema';
import { Missions1764100000000 } from '../../migrations/1764100000000-Missions';
import { MailOutbox1764400000000 } from '../../migrations/1764400000000-MailOutbox';
import { TrainingData1764500000000 } from '../../migrations/1764500000000-TrainingData';
import { AccountTokens1764700000000 } from '../../migrations/1764700000000-AccountTokens';
import { StravaConnections1764800000000 } from '../../migrations/1764800000000-StravaConnections';
import { Mfa1764900000000 } from '../../migrations/1764900000000-Mfa';
import { ActivityDayTotalsIndex1765200000000 } from '../../migrations/1765200000000-ActivityDayTotalsIndex';
import { Jobs1765300000000 } from '../../migrations/1765300000000-Jobs';
import { CoachRuns1765400000000 } from '../../migrations/1765400000000-CoachRuns';
import { ActivityExternalIds1765500000000 } from '../../migrations/1765500000000-ActivityExternalIds';

/** Every migration, in order; a new migration file is added here (listed, not globbed, so builds and tests agree). */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  Missions1764100000000,
  MailOutbox1764400000000,
  TrainingData1764500000000,
  AccountTokens1764700000000,
  StravaConnections1764800000000,
  Mfa1764900000000,
  ActivityDayTotalsIndex1765200000000,
  Jobs1765300000000,
  CoachRuns1765400000000,
  ActivityExternalIds1765500000000,
];
