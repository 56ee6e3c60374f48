/**
 * Why a reminder mail failed, in the few categories an admin can act on: fix the address, ask the mail
 * server's operator why it refused, check the connection to the mail server, or read the raw reason.
 * The raw SMTP / socket message stays beside it (`lastError`).
 */
export const FAILURE_REASONS = ['invalid_address', 'rejected', 'unreachable', 'other'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

// Checked in this order: a 550 "user unknown" is about the address, not a refusal of the message.
const INVALID_ADDRESS = /EENVELOPE|no recipients|invalid (e-?mail |recipient |mailbox )?address|invalid (recipient|mailbox)|\b5\.1\.[0-3]\b|user unknown|unknown user|no such (user|mailbox)|mailbox (unavailable|not found)|does not exist|recipient address rejected|地址无效|收件人不存在/i;
const UNREACHABLE = /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ESOCKET|ECONNECTION|ETLS|EDNS|timed? ?out|connection (refused|closed|lost)|greeting never received|getaddrinfo|连接|超时|不可达/i;
const REJECTED = /^\s*[45]\d\d\b|: [45]\d\d\b|invalid login|authentication|\b[45]\.\d\.\d+\b|EAUTH|EMESSAGE|reject|refused|denied|spam|blocked|quota|拒收|拒绝/i;

export function failureReason(lastError: string | null): FailureReason | null {
  if (!lastError) return null;
  if (INVALID_ADDRESS.test(lastError)) return 'invalid_address';
  if (UNREACHABLE.test(lastError)) return 'unreachable';
  if (REJECTED.test(lastError)) return 'rejected';
  return 'other';
}
