// Signed invite tokens: an HS256 JWT naming one invite link (jti), one
// consult (sub) and one role, expiring with the link. The signature proves
// we issued it; the link row (checked by the caller) says whether it is
// still valid, so a link can be revoked before it expires.
//
// A link is also sent as a short code (/j#<code>, for SMS and messengers):
// a MAC of the link's id under the same key, so the same key change that
// invalidates tokens invalidates codes, and the server can show a doctor
// the code again without storing it (only its hash, to look it up).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors, jwtVerify, SignJWT } from 'jose';
import { inviteRoles, type InviteRole } from '../../shared/api';
import { shortInviteCodeAlphabet, shortInviteCodeLength } from '../../shared/schemas';

const issuer = 'consilium';
const audience = 'consult-invite';
const keyFileName = 'invite-signing.key';

export interface InviteClaims {
  linkId: string;
  consultId: string;
  role: InviteRole;
}

export type InviteVerification = { ok: true; claims: InviteClaims } | { ok: false; reason: 'invalid' | 'expired' };

export class InviteTokens {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    if (key.length < 32) throw new Error('the invite signing key must be at least 32 bytes');
    this.#key = key;
  }

  /**
   * The key from INVITE_SIGNING_KEY (base64), or from the data directory,
   * created there (readable by the owner only) on first start. Changing it
   * invalidates every invite link handed out.
   */
  static fromDataDir(dataDir: string, configuredKey: string | undefined): InviteTokens {
    if (configuredKey) return new InviteTokens(Buffer.from(configuredKey, 'base64'));
    const path = join(dataDir, keyFileName);
    if (!existsSync(path)) {
      writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(path, 0o600);
    return new InviteTokens(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'));
  }

  sign(claims: InviteClaims, expiresAt: number): Promise<string> {
    return new SignJWT({ role: claims.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(claims.consultId)
      .setJti(claims.linkId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.#key);
  }

  /** The link's short code: the first 70 bits of HMAC-SHA256(key, link id), in Crockford's base 32. */
  shortCode(linkId: string): string {
    const mac = createHmac('sha256', this.#key).update(`consilium-short-invite:${linkId}`).digest();
    let code = '';
    for (let index = 0; index < shortInviteCodeLength; index++) {
      // Five bits at a time, from the front of the MAC.
      const bit = index * 5;
      const pair = ((mac[bit >> 3] ?? 0) << 8) | (mac[(bit >> 3) + 1] ?? 0);
      code += shortInviteCodeAlphabet[(pair >> (11 - (bit & 7))) & 31];
    }
    return code;
  }

  /** Whether `code` (normalised) is the short code of `linkId`, compared in constant time. */
  isShortCodeOf(code: string, linkId: string): boolean {
    const expected = Buffer.from(this.shortCode(linkId));
    const given = Buffer.from(code);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** What the database keeps to find a link by its code: a hash, so a copy of it opens nothing. */
  static shortCodeHash(code: string): string {
    return createHash('sha256').update(code).digest('hex');
  }

  async verify(token: string): Promise<InviteVerification> {
    try {
      const { payload } = await jwtVerify(token, this.#key, { issuer, audience, algorithms: ['HS256'] });
      const role = inviteRoles.find((candidate) => candidate === payload['role']);
      if (!payload.sub || !payload.jti || !role) return { ok: false, reason: 'invalid' };
      return { ok: true, claims: { linkId: payload.jti, consultId: payload.sub, role } };
    } catch (error) {
      return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
    }
  }
}
