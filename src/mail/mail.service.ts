import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * A stable id for this message (letters, digits, '.', '-'): sent as the Message-ID `<id@sender's domain>`, so
   * a resend of the same message is the same message to the receiving servers and mail clients.
   */
  id?: string;
}

/** Short timeouts: an unreachable SMTP server fails the one send (which BullMQ retries), never blocks the queue. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** Outgoing mail through SMTP_URL (Mailpit in docker-compose, the school's relay in production). */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // A pool reuses connections across the many reminders a fan-out sends.
    this.transport = createTransport({ url: config.mail.smtpUrl, pool: true, maxConnections: 4, ...SMTP_TIMEOUTS });
  }

  /** Resolves when the SMTP server accepted the message; rejects (with the server's reason) otherwise. */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const { id, ...content } = message;
    const info = await this.transport.sendMail({ from: this.config.mail.from, ...content, ...(id ? { messageId: `<${id}@${this.senderDomain()}>` } : {}) });
    return { messageId: info.messageId };
  }

  private senderDomain(): string {
    return /@([^>\s]+)>?\s*$/.exec(this.config.mail.from)?.[1] ?? 'localhost';
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
