import type { Mission } from '../missions/mission.entity';
import type { MissionProgress, ProgressDay, ProgressWeek } from '../training/mission-progress.service';
import type { CoachRun } from './coach-run.entity';
import type { WorkoutType } from './recommendation.schema';

/** The coach's mails as a cyclist reads them: plain text first, the same in simple HTML. Pure functions. */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const WORKOUT_NAME: Record<WorkoutType, string> = {
  rest: 'Rest day',
  recovery: 'Recovery ride',
  endurance: 'Endurance ride',
  tempo: 'Tempo',
  threshold: 'Threshold',
  vo2max: 'VO2max intervals',
  race_simulation: 'Race simulation',
};

const FLAG_TEXT: Record<string, string> = {
  hard_day_low_form: 'a hard day while your form (TSB) was below the mission’s minimum: scored as easy',
  hard_day_low_readiness: 'a hard day while your readiness was below the mission’s minimum: scored as easy',
  over_max_weekly_hours: 'more hours than the mission’s weekly limit',
};

const FOOTER = (what: string): string =>
  `You get this mail because ${what} by email are on for this mission. Turn them off in the mission's notification preferences.`;

export function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function daysToGo(days: number): string {
  if (days > 0) {
    return `${plural(days, 'day')} to go`;
  }
  return days === 0 ? 'event day' : 'event under way';
}

function session(run: CoachRun): string {
  const r = run.recommendation;
  return r.workout_type === 'rest'
    ? WORKOUT_NAME.rest
    : `${WORKOUT_NAME[r.workout_type]} · ${r.duration_minutes} minutes · zone ${r.target_zone ?? '-'}`;
}

/** HTML of paragraphs, the first line of each block bold when asked. */
function html(title: string, blocks: Array<{ text: string; strong?: boolean; small?: boolean }>): string {
  const paragraphs = blocks
    .map(({ text, strong, small }) => {
      const body = escapeHtml(text).replace(/\n/g, '<br>');
      const style = small ? ' style="color:#666;font-size:12px"' : '';
      return `<p${style}>${strong ? `<strong>${body}</strong>` : body}</p>`;
    })
    .join('\n');
  return `<!doctype html>\n<html><body style="font-family:Helvetica,Arial,sans-serif;line-height:1.5;color:#222;max-width:560px">\n<h2 style="color:#b3001b">${escapeHtml(title)}</h2>\n${paragraphs}\n</body></html>\n`;
}

function render(
  subject: string,
  title: string,
  blocks: Array<{ text: string; strong?: boolean; small?: boolean }>,
): RenderedMail {
  return { subject, text: `${blocks.map((b) => b.text).join('\n\n')}\n`, html: html(title, blocks) };
}

/** The morning briefing: today's session, why, and the form it was chosen for. */
export function morningBriefingMail(mission: Mission, run: CoachRun, daysToEvent: number): RenderedMail {
  const r = run.recommendation;
  const load = run.load;
  const readiness = load.readiness === null ? 'not recorded' : String(load.readiness);
  const blocks = [
    { text: 'Good morning,' },
    {
      text: `Your session for ${longDate(run.date)} (${mission.name}, ${run.phase} phase, ${daysToGo(daysToEvent)}):`,
    },
    { text: session(run), strong: true },
    { text: r.summary },
    ...rationaleBlocks(r.rationale),
    {
      text: `Your numbers this morning\nFitness (CTL) ${load.ctl} · Fatigue (ATL) ${load.atl} · Form (TSB) ${signed(load.tsb)} · Readiness ${readiness}`,
    },
    ...(run.status === 'fallback'
      ? [
          {
            text: "Today's plan comes from your mission's rules alone: the coach model was not available this morning.",
          },
        ]
      : []),
    { text: 'Ride well,\nLanterne Rouge' },
    { text: FOOTER('morning briefings'), small: true },
  ];
  const what =
    r.workout_type === 'rest' ? 'rest day' : `${r.duration_minutes} min ${WORKOUT_NAME[r.workout_type].toLowerCase()}`;
  return render(`Today: ${what} · ${mission.name}`, `Today: ${session(run)}`, blocks);
}

/** The writer's reasons, then the rules' own sentences (coach-rules.ts marks them), as separate paragraphs. */
function rationaleBlocks(rationale: string): Array<{ text: string }> {
  const [why, rules] = rationale.split(' Rules applied: ');
  return [{ text: `Why: ${why}` }, ...(rules ? [{ text: `Changed by your mission's rules: ${rules}` }] : [])];
}

function flagLines(flags: string[]): string[] {
  return flags.map((flag) => `- ${FLAG_TEXT[flag] ?? flag}`);
}

/** The evening summary: the day's TSS, points and flags. */
export function eveningSummaryMail(mission: Mission, day: ProgressDay, progress: MissionProgress): RenderedMail {
  const rode =
    day.intensity === 'rest' ? 'No ride today: a rest day.' : `You rode ${day.hours} h at ${day.intensity} intensity.`;
  const flags =
    day.flags.length > 0
      ? ['Flags:', ...flagLines(day.flags)].join('\n')
      : 'No flags: you stayed within the plan’s limits.';
  const blocks = [
    { text: 'Good evening,' },
    { text: `Your day, ${longDate(day.date)} (${mission.name}):` },
    { text: `${day.tss} TSS · ${day.points} points`, strong: true },
    { text: rode },
    { text: flags },
    {
      text: `Form going into tomorrow\nFitness (CTL) ${day.ctl} · Fatigue (ATL) ${day.atl} · Mission points so far ${progress.points_total} (${daysToGo(progress.days_to_event)})`,
    },
    { text: 'Sleep well,\nLanterne Rouge' },
    { text: FOOTER('evening summaries'), small: true },
  ];
  return render(
    `Your day: ${day.tss} TSS, ${day.points} points · ${mission.name}`,
    `Your day: ${day.tss} TSS, ${day.points} points`,
    blocks,
  );
}

/** The weekly review (Sunday evening): the week's hours, TSS, points and flags, day by day. */
export function weeklyReviewMail(
  mission: Mission,
  week: ProgressWeek,
  days: ProgressDay[],
  progress: MissionProgress,
): RenderedMail {
  const lines = days.map(
    (d) =>
      `${longDate(d.date)}: ${d.intensity === 'rest' ? 'rest' : `${d.hours} h ${d.intensity}, ${d.tss} TSS`}, ${d.points} points${d.flags.length > 0 ? ' (flagged)' : ''}`,
  );
  const flags = [...new Set([...week.flags, ...days.flatMap((d) => d.flags)])];
  const blocks = [
    { text: 'Hello,' },
    {
      text: `Your week from ${longDate(week.week_start)} (${mission.name}, ${progress.phase} phase, ${daysToGo(progress.days_to_event)}):`,
    },
    { text: `${week.hours} h · ${week.tss} TSS · ${week.points} points`, strong: true },
    { text: lines.join('\n') },
    {
      text:
        flags.length > 0
          ? ['Flags this week:', ...flagLines(flags)].join('\n')
          : 'No flags this week: every day within the plan’s limits.',
    },
    { text: `Mission points so far: ${progress.points_total}.` },
    { text: 'Have a good week,\nLanterne Rouge' },
    { text: FOOTER('weekly reviews'), small: true },
  ];
  return render(
    `Your week: ${week.hours} h, ${week.points} points · ${mission.name}`,
    `Your week: ${week.hours} h, ${week.points} points`,
    blocks,
  );
}
