import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { type Job, JobQueue } from '../jobs/job-queue';
import { Mission } from '../missions/mission.entity';
import { CoachDueService } from './coach-due.service';
import { COACHED_STATES, CoachRunsService } from './coach-runs.service';

export const COACH_RUN_JOB = 'coach-run';
export const COACH_TICK_INTERVAL = 'coach-tick';
const TICK_MS = 60_000;

export interface CoachRunJobData {
  missionId: string;
  date: string;
}

/** The job key: one coach-run job per mission and date at a time, across every instance. */
export const coachRunJobKey = (missionId: string, date: string): string => `coach-run:${missionId}:${date}`;

/**
 * With ENABLE_COACH_SCHEDULER=true: every minute, one `coach-run` job per mission whose briefing is due
 * (COACH_BRIEFING_HOUR passed in its zone, no run for its local date), keyed so several instances
 * ticking at once queue it once; then the morning mails a crash left unqueued, and the evening summaries and
 * weekly reviews that are due. The worker makes the runs, COACH_CONCURRENCY at a time; a job that fails
 * (the database away) is retried by the queue, and the unique run row makes a retry harmless.
 */
@Injectable()
export class CoachSchedulerService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CoachScheduler');
  private running: Promise<void> | undefined;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @InjectRepository(Mission) private readonly missions: Repository<Mission>,
    private readonly queue: JobQueue,
    private readonly due: CoachDueService,
    private readonly runs: CoachRunsService,
    private readonly registry: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    if (!this.config.ENABLE_COACH_SCHEDULER) {
      return;
    }
    this.queue.work<CoachRunJobData>(COACH_RUN_JOB, { concurrency: this.config.COACH_CONCURRENCY }, (job) =>
      this.work(job),
    );
  }

  onApplicationBootstrap(): void {
    if (!this.config.ENABLE_COACH_SCHEDULER) {
      return;
    }
    const timer = setInterval(() => void this.tick(), TICK_MS);
    timer.unref();
    this.registry.addInterval(COACH_TICK_INTERVAL, timer);
    // Not awaited: a start-up does not wait for a thousand briefings to be queued.
    void this.tick();
    this.logger.log(
      `Briefings due from ${this.config.COACH_BRIEFING_HOUR}:00 local time are queued every minute (${this.config.COACH_CONCURRENCY} at a time)`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', COACH_TICK_INTERVAL)) {
      this.registry.deleteInterval(COACH_TICK_INTERVAL);
    }
    await this.running;
  }

  /** One pass at a time per instance; a tick that finds the previous one still going is skipped. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      const days = await this.due.coachedMissionDays();
      let queued = 0;
      for (const { mission, date } of await this.due.dueBriefings(days)) {
        const data: CoachRunJobData = { missionId: mission.id, date };
        if (await this.queue.send(COACH_RUN_JOB, data, { key: coachRunJobKey(mission.id, date) })) {
          queued++;
        }
      }
      const morning = await this.due.catchUpMorningMails(days);
      const evening = await this.due.sendEveningMails(days);
      if (queued + morning + evening > 0) {
        this.logger.log(`Queued ${queued} briefing(s), ${morning} late morning mail(s), ${evening} evening mail(s)`);
      }
    } catch (error) {
      this.logger.error(`Coach scheduler pass failed: ${(error as Error).message}`);
    }
  }

  private async work(job: Job<CoachRunJobData>): Promise<void> {
    const mission = await this.missions.findOneBy({ id: job.data.missionId });
    if (!mission || !(COACHED_STATES as readonly string[]).includes(mission.state)) {
      return;
    }
    await this.runs.runFor(mission, job.data.date);
  }
}
