export type { ActivityStreams } from './activity-streams';
export { MAX_FILLED_GAP_S, toOneSecondGrid, type OneSecondGrid } from './one-second-grid';
export { summarizeStreams, normalizedPower, NP_WINDOW_S, type StreamSummary } from './summarize-streams';
export { scoreActivity, type Score, type ScoreInput, type TssMethod } from './score-activity';
export { powerZones, heartRateZones, powerHistogram, timeInPowerZones, zonesOfHistogram, type Zone } from './zones';
export { trainingLoad, CTL_DAYS, ATL_DAYS, type LoadDay } from './training-load';
