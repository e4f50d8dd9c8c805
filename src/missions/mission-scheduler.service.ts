import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../config/app-config';
import { MissionTransitionsService } from './mission-transitions.service';

export const MISSION_TRANSITIONS_INTERVAL = 'mission-transitions';

/**
 * With ENABLE_MISSION_SCHEDULER=true, runs the transition check once at start-up (before the app is
 * declared ready) and then every MISSION_TRANSITION_INTERVAL_MINUTES. Several instances may run it at
 * once: each transition is a conditional update, so none is applied twice.
 */
@Injectable()
export class MissionSchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MissionSchedulerService.name);
  private running: Promise<void> | undefined;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly transitions: MissionTransitionsService,
    private readonly registry: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.ENABLE_MISSION_SCHEDULER) {
      return;
    }
    await this.tick();
    const timer = setInterval(() => void this.tick(), this.config.MISSION_TRANSITION_INTERVAL_MINUTES * 60_000);
    // Never the reason a process stays alive; shutdown clears it below.
    timer.unref();
    this.registry.addInterval(MISSION_TRANSITIONS_INTERVAL, timer);
    this.logger.log(`Mission transitions checked every ${this.config.MISSION_TRANSITION_INTERVAL_MINUTES} minute(s)`);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('interval', MISSION_TRANSITIONS_INTERVAL)) {
      this.registry.deleteInterval(MISSION_TRANSITIONS_INTERVAL);
    }
    // Let a run in progress finish before the database connection closes.
    await this.running;
  }

  /** One run at a time per instance; a tick that finds the previous run still going is skipped. */
  private tick(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    try {
      const performed = await this.transitions.runDueTransitions();
      for (const t of performed) {
        this.logger.log(`Mission ${t.mission_id}: ${t.old_state} -> ${t.new_state} (${t.reason})`);
      }
    } catch (error) {
      this.logger.error(`Scheduled mission transition check failed: ${(error as Error).message}`);
    }
  }
}
