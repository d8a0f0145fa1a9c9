import nodemailer from "nodemailer";

/**
 * Outgoing email, through SMTP when SMTP_URL is set (smtp://user:pass@host:587, or smtps://…
 * for TLS from the start). Without it the app sends nothing and shows reminders in the app only.
 */
export type MailMessage = { to: string; subject: string; text: string };
export type Mailer = { from: string; send(message: MailMessage): Promise<void>; close(): void };

const DEFAULT_MAIL_FROM = "Hindsight <hindsight@localhost>";

export function smtpMailer(url: string, from = DEFAULT_MAIL_FROM): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    from,
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    close() {
      transport.close();
    },
  };
}

export function mailerConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL);
}

export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer | null {
  return env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM || DEFAULT_MAIL_FROM) : null;
}

/** Where links in emails point: APP_URL, or the local server. */
export function appUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return (env.APP_URL || `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, "");
}
