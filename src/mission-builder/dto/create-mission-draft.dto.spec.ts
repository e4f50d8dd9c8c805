import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { addDays, todayUtc } from '../../common/calendar';
import { CreateMissionDraftDto } from './create-mission-draft.dto';
import { resolveNotificationPreferences } from './notification-preferences.dto';
import { normaliseRidingStyle } from '../riding-style';

function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'Unbound Gravel 200',
    event_date: addDays(todayUtc(), 90),
    mission_type: 'gravel_ultra',
    weekly_hours: { min: 8, max: 12 },
    current_ftp: 250,
    ...overrides,
  };
}

/** What the global ValidationPipe does: transform, then validate with the whitelist options. */
async function check(plain: Record<string, unknown>) {
  const dto = plainToInstance(CreateMissionDraftDto, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return { dto, errors };
}

/** Dotted paths of every failing property, nested ones included (`weekly_hours.max`). */
function failingPaths(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = error.constraints ? [path] : [];
    return [...own, ...failingPaths(error.children ?? [], `${path}.`)];
  });
}

async function failures(overrides: Record<string, unknown>): Promise<string[]> {
  return failingPaths((await check(body(overrides))).errors);
}

describe('CreateMissionDraftDto', () => {
  it('accepts a minimal questionnaire and fills the defaults', async () => {
    const { dto, errors } = await check(body());
    expect(errors).toEqual([]);
    expect(dto.riding_style).toBe('steady');
    expect(resolveNotificationPreferences(dto.notification_preferences)).toEqual({
      channel: 'app',
      morning_briefing: true,
      evening_summary: true,
      weekly_review: true,
    });
  });

  it('accepts a complete questionnaire', async () => {
    const { errors } = await check(
      body({
        preferred_training_days: ['Tuesday', 'thursday', 'SATURDAY'],
        constraints: 'Knee surgery last year',
        riding_style: 'breakaway',
        notification_preferences: { channel: 'sms', weekly_review: false },
      }),
    );
    expect(errors).toEqual([]);
  });

  it.each([
    ['an empty event_name', { event_name: '' }, 'event_name'],
    ['a blank event_name', { event_name: '   ' }, 'event_name'],
    ['an event_name over 255 characters', { event_name: 'x'.repeat(256) }, 'event_name'],
    ['a missing event_name', { event_name: undefined }, 'event_name'],
    ['a malformed event_date', { event_date: '01/06/2030' }, 'event_date'],
    ['an impossible event_date', { event_date: '2030-02-30' }, 'event_date'],
    ['an event_date today', { event_date: todayUtc() }, 'event_date'],
    ['an event_date in the past', { event_date: addDays(todayUtc(), -1) }, 'event_date'],
    ['a numeric event_date', { event_date: 20300601 }, 'event_date'],
    ['an empty mission_type', { mission_type: '' }, 'mission_type'],
    ['a mission_type over 100 characters', { mission_type: 'x'.repeat(101) }, 'mission_type'],
    ['a missing weekly_hours', { weekly_hours: undefined }, 'weekly_hours'],
    ['a weekly_hours that is not an object', { weekly_hours: 10 }, 'weekly_hours'],
    ['weekly_hours.min below 1', { weekly_hours: { min: 0, max: 5 } }, 'weekly_hours.min'],
    ['weekly_hours.max above 40', { weekly_hours: { min: 5, max: 41 } }, 'weekly_hours.max'],
    ['fractional weekly hours', { weekly_hours: { min: 5.5, max: 8 } }, 'weekly_hours.min'],
    ['weekly_hours.max below min', { weekly_hours: { min: 10, max: 8 } }, 'weekly_hours.max'],
    ['an unknown weekly_hours field', { weekly_hours: { min: 5, max: 8, avg: 6 } }, 'weekly_hours.avg'],
    ['current_ftp below 50', { current_ftp: 49 }, 'current_ftp'],
    ['current_ftp above 500', { current_ftp: 501 }, 'current_ftp'],
    ['a fractional current_ftp', { current_ftp: 250.5 }, 'current_ftp'],
    ['a string current_ftp', { current_ftp: '250' }, 'current_ftp'],
    ['an unknown training day', { preferred_training_days: ['Funday'] }, 'preferred_training_days'],
    ['training days that are not a list', { preferred_training_days: 'Monday' }, 'preferred_training_days'],
    ['a repeated training day', { preferred_training_days: ['Monday', 'monday'] }, 'preferred_training_days'],
    ['constraints over 1000 characters', { constraints: 'x'.repeat(1001) }, 'constraints'],
    ['constraints that are not text', { constraints: 42 }, 'constraints'],
    ['an unknown riding_style', { riding_style: 'sprinter' }, 'riding_style'],
    ['an unknown channel', { notification_preferences: { channel: 'fax' } }, 'notification_preferences.channel'],
    [
      'a non-boolean preference',
      { notification_preferences: { morning_briefing: 'yes' } },
      'notification_preferences.morning_briefing',
    ],
    ['an unknown preference', { notification_preferences: { pager: true } }, 'notification_preferences.pager'],
    ['an unknown top-level field', { coach: 'me' }, 'coach'],
  ])('rejects %s', async (_name, overrides, path) => {
    expect(await failures(overrides)).toEqual([path]);
  });

  it('accepts the boundaries of every range', async () => {
    const { errors } = await check(
      body({
        event_name: 'x'.repeat(255),
        event_date: addDays(todayUtc(), 1),
        mission_type: 'x'.repeat(100),
        weekly_hours: { min: 40, max: 40 },
        current_ftp: 50,
        constraints: 'x'.repeat(1000),
      }),
    );
    expect(errors).toEqual([]);
    expect((await check(body({ weekly_hours: { min: 1, max: 1 }, current_ftp: 500 }))).errors).toEqual([]);
  });

  it('writes weekday names in their canonical form', async () => {
    const { dto } = await check(body({ preferred_training_days: ['tuesday', ' SUNDAY '] }));
    expect(dto.preferred_training_days).toEqual(['Tuesday', 'Sunday']);
  });

  it('says why an event date is refused', async () => {
    const past = (await check(body({ event_date: todayUtc() }))).errors[0].constraints;
    expect(Object.values(past ?? {})[0]).toMatch(/after today/);
    const malformed = (await check(body({ event_date: 'soon' }))).errors[0].constraints;
    expect(Object.values(malformed ?? {})[0]).toMatch(/YYYY-MM-DD/);
  });
});

describe('normaliseRidingStyle', () => {
  it.each([
    ['gc', 'steady'],
    ['steady', 'steady'],
    ['breakaway', 'aggressive'],
    ['aggressive', 'aggressive'],
    ['mixed', 'mixed'],
    [undefined, 'steady'],
    [null, 'steady'],
  ] as const)('reads %s as %s', (style, expected) => {
    expect(normaliseRidingStyle(style)).toBe(expected);
  });
});
