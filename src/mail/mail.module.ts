import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { CryptoModule } from '../crypto/crypto.module';
import { MailOutboxRecord } from './mail-outbox.entity';
import { MailOutboxWorker } from './mail-outbox.worker';
import { MAIL_TRANSPORT, mailTransportFor } from './mail-transport';
import { MailService } from './mail.service';

/** The one mail module of the service: import it and call `MailService.send({to, subject, text, html})`. */
@Module({
  imports: [TypeOrmModule.forFeature([MailOutboxRecord]), CryptoModule],
  providers: [
    { provide: MAIL_TRANSPORT, inject: [AppConfig], useFactory: mailTransportFor },
    MailOutboxWorker,
    MailService,
  ],
  exports: [MailService, MailOutboxWorker],
})
export class MailModule {}
