import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { monotonicNow } from '../common/clock';
import { unprocessable } from '../common/validation';
import { todayInTimeZone } from '../common/calendar';
import { heartRateZones, powerZones, type Zone } from '../sport-science';
import type { User } from '../users/user.entity';
import { AthleteChanges, type AthleteChange } from './athlete-changes';
import { AthleteProfile } from './athlete-profile.entity';
import type { UpdateAthleteDto } from './dto/update-athlete.dto';
import { FtpEntry } from './ftp-entry.entity';
import { apiError, ERRORS } from '../common/error-codes';

export const DEFAULT_TIME_ZONE = 'UTC';
export const NO_FTP = ERRORS.ftp_not_set.detail;

/** A profile as the features use it: defaults filled in for an athlete who never saved one. */
export interface AthleteSettings {
  weightKg: number | null;
  maxHr: number | null;
  thresholdHr: number | null;
  timezone: string;
  updatedAt: Date | null;
  /** Oldest first. */
  ftpHistory: FtpEntry[];
}

export interface AthleteZones {
  ftp: number;
  power: Zone[];
  heartRate: Zone[] | null;
}

/** The athlete profile and FTP history; announces the changes activities must follow (AthleteChanges). */
@Injectable()
export class AthleteService {
  constructor(
    @InjectRepository(AthleteProfile) private readonly profiles: Repository<AthleteProfile>,
    @InjectRepository(FtpEntry) private readonly ftpEntries: Repository<FtpEntry>,
    private readonly changes: AthleteChanges,
  ) {}

  async settingsOf(userId: number): Promise<AthleteSettings> {
    const [profile, ftpHistory] = await Promise.all([this.profiles.findOneBy({ userId }), this.ftpHistoryOf(userId)]);
    return {
      weightKg: profile?.weightKg ?? null,
      maxHr: profile?.maxHr ?? null,
      thresholdHr: profile?.thresholdHr ?? null,
      timezone: profile?.timezone ?? DEFAULT_TIME_ZONE,
      updatedAt: profile?.updatedAt ?? null,
      ftpHistory,
    };
  }

  async timezoneOf(userId: number): Promise<string> {
    const profile = await this.profiles.findOne({ where: { userId }, select: { userId: true, timezone: true } });
    return profile?.timezone ?? DEFAULT_TIME_ZONE;
  }

  ftpHistoryOf(userId: number): Promise<FtpEntry[]> {
    return this.ftpEntries.find({ where: { userId }, order: { effectiveFrom: 'ASC' } });
  }

  /** Only the fields sent change; the rules that need the stored profile are 422 items at the field sent. */
  async update(user: User, dto: UpdateAthleteDto): Promise<AthleteSettings> {
    const current = await this.settingsOf(user.id);
    const sent = Object.keys(dto).filter((key) => dto[key as keyof UpdateAthleteDto] !== undefined);
    noteForAudit({ resourceId: String(user.id), details: `fields=${sent.join(',') || 'none'}` });
    const next = {
      weightKg: dto.weight_kg === undefined ? current.weightKg : dto.weight_kg,
      maxHr: dto.max_hr === undefined ? current.maxHr : dto.max_hr,
      thresholdHr: dto.threshold_hr === undefined ? current.thresholdHr : dto.threshold_hr,
      timezone: dto.timezone ?? current.timezone,
    };
    this.checkRules(dto, next);
    if (sent.length === 0) {
      return current;
    }
    const now = monotonicNow();
    await this.profiles
      .createQueryBuilder()
      .insert()
      .values({ userId: user.id, ...next, createdAt: now, updatedAt: now })
      .orUpdate(['weight_kg', 'max_hr', 'threshold_hr', 'timezone', 'updated_at'], ['user_id'])
      .execute();

    const change: AthleteChange = {
      userId: user.id,
      thresholdHrChanged: next.thresholdHr !== current.thresholdHr,
      timezoneChanged: next.timezone !== current.timezone,
    };
    if (dto.ftp !== undefined) {
      const from = dto.ftp_effective_from ?? todayInTimeZone(next.timezone);
      await this.ftpEntries
        .createQueryBuilder()
        .insert()
        .values({ userId: user.id, effectiveFrom: from, ftp: dto.ftp, createdAt: now })
        .orUpdate(['ftp'], ['user_id', 'effective_from'])
        .execute();
      const first = current.ftpHistory[0];
      change.ftpChangedFrom = !first || from <= first.effectiveFrom ? null : from;
    }
    await this.changes.publish(change);
    return this.settingsOf(user.id);
  }

  /** Power zones from the latest FTP, heart-rate zones from threshold_hr; 404 without an FTP. */
  async zonesOf(user: User): Promise<AthleteZones> {
    const settings = await this.settingsOf(user.id);
    const ftp = settings.ftpHistory.at(-1)?.ftp;
    if (ftp === undefined) {
      throw apiError('ftp_not_set');
    }
    return {
      ftp,
      power: powerZones(ftp),
      heartRate: settings.thresholdHr === null ? null : heartRateZones(settings.thresholdHr),
    };
  }

  private checkRules(
    dto: UpdateAthleteDto,
    next: { maxHr: number | null; thresholdHr: number | null; timezone: string },
  ): void {
    if (dto.ftp_effective_from !== undefined && dto.ftp === undefined) {
      throw unprocessable([
        { loc: ['body', 'ftp_effective_from'], msg: 'ftp_effective_from needs an ftp', type: 'value_error' },
      ]);
    }
    if (next.thresholdHr !== null && next.maxHr !== null && next.thresholdHr >= next.maxHr) {
      const field = dto.threshold_hr !== undefined ? 'threshold_hr' : 'max_hr';
      throw unprocessable([
        {
          loc: ['body', field],
          msg: `threshold_hr (${next.thresholdHr}) must be below max_hr (${next.maxHr})`,
          type: 'value_error',
        },
      ]);
    }
    const today = todayInTimeZone(next.timezone);
    if (dto.ftp_effective_from !== undefined && dto.ftp_effective_from > today) {
      throw unprocessable([
        {
          loc: ['body', 'ftp_effective_from'],
          msg: `ftp_effective_from must not be after today (${today} in ${next.timezone})`,
          type: 'value_error',
        },
      ]);
    }
  }
}
