import { CoachDelivery } from '../../src/coach/coach-delivery.entity';
import { CoachDueService } from '../../src/coach/coach-due.service';
import { todayUtc } from '../../src/common/calendar';
import { Like } from 'typeorm';
import { MailOutboxRecord } from '../../src/mail/mail-outbox.entity';
import { MailOutboxWorker } from '../../src/mail/mail-outbox.worker';
import { registerAndLogin, type LoggedIn } from '../helpers/auth';
import { TestClock } from '../helpers/clock';
import { coachedMission, type CoachRunJson, modelPlan } from '../helpers/coach';
import { utcDate } from '../helpers/dates';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.server';
import { emlMails, eventually, type ReceivedMail, type SmtpTestServer, startSmtpTestServer } from '../helpers/mail';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { postActivity } from '../helpers/training';

const EMAIL_PREFS = { channel: 'email', morning_briefing: true, evening_summary: true, weekly_review: true };
const today = todayUtc();
const isCoachMail = (mail: ReceivedMail): boolean => /^(Today|Your day|Your week): /.test(mail.subject);

describe('coach mail: the morning briefing as .eml files, once (e2e)', () => {
  let fake: FakeOpenAi;
  let t: TestApp;
  let admin: LoggedIn;
  const clock = new TestClock(`${today}T12:00:00.000Z`);

  beforeAll(async () => {
    fake = await startFakeOpenAi({
      kind: 'json',
      body: modelPlan({ workout_type: 'endurance', target_zone: 2, duration_minutes: 90 }),
    });
    t = await createTestApp(
      {
        OPENAI_API_KEY: 'sk-test-coach-mail',
        OPENAI_BASE_URL: fake.url,
        MAIL_FROM: 'Lanterne Rouge <coach@lanterne-rouge.test>',
      },
      { overrides: [clock.override] },
    );
    admin = await registerAndLogin(t.http, { admin: true, db: t.db });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const deliveries = (missionId: string) => t.db.getRepository(CoachDelivery).findBy({ missionId });
  const mailsTo = (email: string) => emlMails(t.config.LOG_DIR).filter((m) => m.to === email && isCoachMail(m));
  /** The coach's n-th mail to the rider (registration mails a verification link first). */
  const nextCoachEml = (email: string, n = 1) =>
    eventually(() => mailsTo(email)[n - 1], 10_000, `coach mail #${n} to ${email}`);

  it('mails the briefing (plain text and HTML) when the mission asks for email, and never twice', async () => {
    const rider = await registerAndLogin(t.http);
    const mission = await coachedMission(t.http, rider.auth, {
      name: 'Unbound Gravel 200',
      notification_preferences: EMAIL_PREFS,
      event_start_date: utcDate(60),
      event_end_date: utcDate(60),
    });
    const run = (await t.http.post(`/missions/${mission.id}/runs`).set(rider.auth).expect(201)).body as CoachRunJson;
    const mail = await nextCoachEml(rider.email);
    expect(mail.from).toBe('Lanterne Rouge <coach@lanterne-rouge.test>');
    expect(mail.subject).toBe('Today: 90 min endurance ride · Unbound Gravel 200');
    expect(mail.text).toContain('Good morning,');
    expect(mail.text).toContain('Endurance ride · 90 minutes · zone 2');
    expect(mail.text).toContain(run.recommendation.summary);
    expect(mail.text).toContain(`Why: ${run.recommendation.rationale}`);
    expect(mail.text).toContain('base phase, 60 days to go');
    expect(mail.html).toContain('<strong>Endurance ride · 90 minutes · zone 2</strong>');
    expect(await deliveries(mission.id)).toEqual([
      expect.objectContaining({ kind: 'morning_briefing', date: run.date }),
    ]);

    // Regenerating, the admin route and the catch-up pass send nothing more.
    await t.http.post(`/missions/${mission.id}/runs`).set(rider.auth).send({ regenerate: true }).expect(201);
    await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200);
    const due = t.app.get(CoachDueService);
    await due.catchUpMorningMails(await due.coachedMissionDays());
    await t.app.get(MailOutboxWorker).idle();
    expect(mailsTo(rider.email)).toHaveLength(1);
    expect(await deliveries(mission.id)).toHaveLength(1);
  });

  it('sends nothing when the channel is not email or the briefing is off', async () => {
    const rider = await registerAndLogin(t.http);
    const app = await coachedMission(t.http, rider.auth, {
      notification_preferences: { ...EMAIL_PREFS, channel: 'app' },
    });
    const off = await coachedMission(t.http, rider.auth, {
      notification_preferences: { ...EMAIL_PREFS, morning_briefing: false },
    });
    const none = await coachedMission(t.http, rider.auth, { notification_preferences: null });
    for (const mission of [app, off, none]) {
      await t.http.post(`/missions/${mission.id}/runs`).set(rider.auth).expect(201);
    }
    await t.app.get(MailOutboxWorker).idle();
    expect(mailsTo(rider.email)).toEqual([]);
  });

  it('loses neither the run nor its mail when queuing the mail fails after the model answered', async () => {
    const rider = await registerAndLogin(t.http);
    const mission = await coachedMission(t.http, rider.auth, { notification_preferences: EMAIL_PREFS });
    // The outbox cannot take a row: the delivery record and the outbox row roll back together.
    await t.db.query('ALTER TABLE mail_outbox RENAME TO mail_outbox_away');
    let run: CoachRunJson;
    try {
      run = (await t.http.post(`/missions/${mission.id}/runs`).set(rider.auth).expect(201)).body as CoachRunJson;
    } finally {
      await t.db.query('ALTER TABLE mail_outbox_away RENAME TO mail_outbox');
    }
    expect(run.status).toBe('succeeded');
    expect(await deliveries(mission.id)).toEqual([]);
    expect(
      await t.db.getRepository(MailOutboxRecord).countBy({ toAddress: rider.email, subject: Like('Today:%') }),
    ).toBe(0);

    // The next pass finds the run without its mail and queues it, once.
    await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200);
    const mail = await nextCoachEml(rider.email);
    expect(mail.text).toContain(run.recommendation.summary);
    await t.http.post('/jobs/coach-runs').set(admin.auth).expect(200);
    await t.app.get(MailOutboxWorker).idle();
    expect(mailsTo(rider.email)).toHaveLength(1);
    expect(await deliveries(mission.id)).toHaveLength(1);
  });

  it("mails the evening summary from COACH_EVENING_HOUR with the day's TSS, points and flags, and the weekly review on Sunday", async () => {
    const rider = await registerAndLogin(t.http);
    await t.http.put('/athlete').set(rider.auth).send({ ftp: 250 }).expect(200);
    await postActivity(t.http, rider.auth, {
      start_time: `${today}T00:00:00.000Z`,
      duration_s: 3600,
      normalized_power: 230,
      avg_power: 220,
    });
    const mission = await coachedMission(t.http, rider.auth, {
      name: 'Evening Test',
      notification_preferences: EMAIL_PREFS,
      prep_start_date: utcDate(-3),
      constraints: { min_tsb: 10, min_readiness: 70, max_weekly_hours: 12 },
    });
    const due = t.app.get(CoachDueService);
    clock.set(`${today}T20:59:00.000Z`);
    await due.sendEveningMails(await due.coachedMissionDays());
    expect(await deliveries(mission.id)).toEqual([]);

    clock.set(`${today}T21:00:00.000Z`);
    await due.sendEveningMails(await due.coachedMissionDays());
    await due.sendEveningMails(await due.coachedMissionDays());
    const mail = await nextCoachEml(rider.email);
    const progress = (await t.http.get(`/missions/${mission.id}/progress`).set(rider.auth).expect(200)).body as {
      days: Array<{ date: string; tss: number; points: number; flags: string[] }>;
    };
    const day = progress.days.find((d) => d.date === today);
    expect(day?.flags).toEqual(['hard_day_low_form']);
    expect(mail.subject).toBe(`Your day: ${day?.tss} TSS, ${day?.points} points · Evening Test`);
    expect(mail.text).toContain(`${day?.tss} TSS · ${day?.points} points`);
    expect(mail.text).toContain('form (TSB) was below the mission’s minimum: scored as easy');
    const kinds = (await deliveries(mission.id)).map((d) => d.kind).sort();
    const sunday = new Date(`${today}T00:00:00Z`).getUTCDay() === 0;
    expect(kinds).toEqual(sunday ? ['evening_summary', 'weekly_review'] : ['evening_summary']);
    await t.app.get(MailOutboxWorker).idle();
    expect(mailsTo(rider.email)).toHaveLength(sunday ? 2 : 1);
  });

  it('mails the weekly review on Sunday evening only', async () => {
    const rider = await registerAndLogin(t.http);
    const sunday = '2030-03-10';
    const mission = await coachedMission(t.http, rider.auth, {
      name: 'Weekly Test',
      notification_preferences: { ...EMAIL_PREFS, evening_summary: false },
      prep_start_date: '2030-03-01',
      prep_end_date: null,
      event_start_date: '2030-06-01',
      event_end_date: '2030-06-01',
    });
    const due = t.app.get(CoachDueService);
    clock.set('2030-03-09T22:00:00.000Z');
    await due.sendEveningMails((await due.coachedMissionDays()).filter((d) => d.mission.id === mission.id));
    expect(await deliveries(mission.id)).toEqual([]);
    clock.set('2030-03-10T21:30:00.000Z');
    await due.sendEveningMails((await due.coachedMissionDays()).filter((d) => d.mission.id === mission.id));
    const mail = await nextCoachEml(rider.email);
    expect(mail.subject).toBe('Your week: 0 h, 0 points · Weekly Test');
    expect(mail.text).toContain('Your week from Monday 4 March (Weekly Test, base phase, 83 days to go):');
    expect(mail.text).toContain('Sunday 10 March: rest, 0 points');
    expect(await deliveries(mission.id)).toEqual([expect.objectContaining({ kind: 'weekly_review', date: sunday })]);
  });
});

describe('coach mail over SMTP (a real SMTP server on loopback) (e2e)', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    t = await createTestApp({ OPENAI_API_KEY: '', SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('delivers the briefing through SMTP_URL, once', async () => {
    const rider = await registerAndLogin(t.http);
    const mission = await coachedMission(t.http, rider.auth, { notification_preferences: EMAIL_PREFS });
    const run = (await t.http.post(`/missions/${mission.id}/runs`).set(rider.auth).expect(201)).body as CoachRunJson;
    const mail = await eventually(() => smtp.messages.find((m) => m.to === rider.email && isCoachMail(m)));
    expect(mail.subject).toMatch(/^Today: /);
    expect(mail.text).toContain("Today's plan comes from your mission's rules alone");
    expect(mail.text).toContain(run.recommendation.summary);
    expect(mail.html).toContain('<h2');
    await t.app.get(MailOutboxWorker).idle();
    expect(smtp.messages.filter((m) => m.to === rider.email && isCoachMail(m))).toHaveLength(1);
  });
});
