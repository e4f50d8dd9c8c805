import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { ActivitiesModule } from './activities/activities.module';
import { AthleteModule } from './athlete/athlete.module';
import { AccountModule } from './account/account.module';
import { AccountDataModule } from './account-data/account-data.module';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditRouteResolver } from './audit/audit-route.resolver';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CoachModule } from './coach/coach.module';
import { ConnectionsModule } from './connections/connections.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { UnexpectedBodyInterceptor } from './common/unexpected-body.interceptor';
import { REQUEST_CONTEXT_OPTIONS } from './common/request-context';
import { AppValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { runPendingMigrations } from './database/migrate';
import { SqliteCheckpointer } from './database/sqlite-checkpointer';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { MailModule } from './mail/mail.module';
import { MfaModule } from './mfa/mfa.module';
import { MetricsModule } from './metrics/metrics.module';
import { MissionBuilderModule } from './mission-builder/mission-builder.module';
import { MissionsModule } from './missions/missions.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SessionsModule } from './sessions/sessions.module';
import { TrainingModule } from './training/training.module';
import { UsersModule } from './users/users.module';
import { WellnessModule } from './wellness/wellness.module';

@Module({})
export class AppModule {
  /** The whole application for one configuration; main.ts and the tests build it the same way. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClsModule.forRoot(REQUEST_CONTEXT_OPTIONS),
        LoggingModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => buildDataSourceOptions(config),
          dataSourceFactory: async (options) => {
            const db = await new DataSource(options!).initialize();
            await runPendingMigrations(db);
            return db;
          },
        }),
        MetricsModule,
        JobsModule,
        RateLimitModule,
        AuditModule,
        UsersModule,
        SessionsModule,
        AuthModule,
        // Before MissionsModule, so the fixed `/missions/draft` routes are registered before `/missions/:id`.
        MissionBuilderModule,
        MissionsModule,
        AthleteModule,
        ActivitiesModule,
        WellnessModule,
        TrainingModule,
        CoachModule,
        HealthModule,
        MailModule,
        AccountModule,
        ConnectionsModule,
        MfaModule,
        AccountDataModule,
      ],
      providers: [
        SqliteCheckpointer,
        // Guards run in this order: name the route for the audit trail, authenticate, then rate-limit
        // (per-user limits need the user; a 429 still gets its audit row).
        { provide: APP_GUARD, useClass: AuditRouteResolver },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        // The audit interceptor wraps everything after it, so a refused body still gets its row.
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_INTERCEPTOR, useClass: UnexpectedBodyInterceptor },
        { provide: APP_PIPE, useClass: AppValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
