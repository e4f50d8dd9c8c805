import type { MailMessage } from '../mail/mail.service';

/** What a mail needs to know about the app: the frontend its links open. */
export interface MailSite {
  PUBLIC_APP_URL: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function link(site: MailSite, path: string, token: string): string {
  return `${site.PUBLIC_APP_URL.replace(/\/+$/, '')}${path}?token=${encodeURIComponent(token)}`;
}

/** A message with one call to action: the same words as plain text and as HTML. */
function withLink(
  to: string,
  userId: number,
  subject: string,
  lead: string,
  url: string,
  action: string,
  tail: string,
): MailMessage {
  return {
    to,
    userId,
    subject,
    text: `${lead}\n\n${action}: ${url}\n\n${tail}\n\n-- Lanterne Rouge\n`,
    html:
      `<p>${escapeHtml(lead)}</p>` +
      `<p><a href="${escapeHtml(url)}">${escapeHtml(action)}</a></p>` +
      `<p style="color:#666">${escapeHtml(tail)}</p><p>-- Lanterne Rouge</p>`,
  };
}

export function passwordResetMail(
  site: MailSite,
  to: string,
  userId: number,
  token: string,
  ttlMinutes: number,
): MailMessage {
  return withLink(
    to,
    userId,
    'Reset your Lanterne Rouge password',
    'Someone (hopefully you) asked to reset the password of your Lanterne Rouge account.',
    link(site, '/reset-password', token),
    'Choose a new password',
    `The link works once, for ${ttlMinutes} minutes. If you did not ask for it, ignore this mail: your password stays as it is.`,
  );
}

export function verificationMail(
  site: MailSite,
  to: string,
  userId: number,
  token: string,
  ttlHours: number,
): MailMessage {
  return withLink(
    to,
    userId,
    'Confirm your email address for Lanterne Rouge',
    'Welcome to Lanterne Rouge. Please confirm that this address is yours.',
    link(site, '/verify-email', token),
    'Confirm my email address',
    `The link works once, for ${ttlHours} hours. If you did not create an account, ignore this mail.`,
  );
}

export function emailChangeMail(
  site: MailSite,
  to: string,
  userId: number,
  token: string,
  ttlHours: number,
): MailMessage {
  return withLink(
    to,
    userId,
    'Confirm your new email address for Lanterne Rouge',
    'You asked to use this address for your Lanterne Rouge account. It takes effect once you confirm it.',
    link(site, '/verify-email', token),
    'Confirm my new email address',
    `The link works once, for ${ttlHours} hours. If you did not ask for this, ignore this mail.`,
  );
}

/** To the old address once the change is done: the owner learns of it even if it was not them. */
export function emailChangedNotice(to: string, userId: number, newEmail: string): MailMessage {
  const text =
    `The email address of your Lanterne Rouge account was changed to ${newEmail}, and every other session was signed out.\n\n` +
    'If this was not you, reply to this mail or contact support at once: someone may have access to your account.';
  return {
    to,
    userId,
    subject: 'Your Lanterne Rouge email address was changed',
    text: `${text}\n\n-- Lanterne Rouge\n`,
    html: `${text
      .split('\n\n')
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('')}<p>-- Lanterne Rouge</p>`,
  };
}
