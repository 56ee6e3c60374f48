import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/**
 * Chosen passwords are hashed with argon2id. A generated initial password is a random 12-character secret
 * (~60 bits) that must be replaced at first login and expires; like a reset token it is stored as a SHA-256
 * digest, which keeps a 5,000-row roster import fast without weakening anything a person chose.
 */
const INITIAL_PREFIX = 'otp-sha256$';
const INITIAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export const INITIAL_PASSWORD_LENGTH = 12;
export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, { algorithm: Algorithm.Argon2id });
}

export function generateInitialPassword(): string {
  let out = '';
  for (let i = 0; i < INITIAL_PASSWORD_LENGTH; i++) out += INITIAL_ALPHABET[randomInt(INITIAL_ALPHABET.length)];
  return out;
}

export function hashInitialPassword(password: string): string {
  return INITIAL_PREFIX + createHash('sha256').update(password, 'utf8').digest('hex');
}

export function isInitialPasswordHash(hash: string): boolean {
  return hash.startsWith(INITIAL_PREFIX);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (isInitialPasswordHash(hash)) {
    const expected = Buffer.from(hash.slice(INITIAL_PREFIX.length), 'hex');
    const actual = createHash('sha256').update(password, 'utf8').digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  try {
    return await argon2Verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash no password matches, used to spend the same time on unknown usernames as on known ones. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(generateInitialPassword());
  return decoyHash;
}
