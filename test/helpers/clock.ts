import { Clock } from '../../src/common/clock';

/** A clock the test sets: override the app's `Clock` provider with it (`createTestApp(env, { overrides })`). */
export class TestClock extends Clock {
  private current: Date;

  constructor(start: string | Date = new Date()) {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string | Date): void {
    this.current = new Date(at);
  }

  /** The override for createTestApp. */
  get override(): { provide: unknown; useValue: unknown } {
    return { provide: Clock, useValue: this };
  }
}
