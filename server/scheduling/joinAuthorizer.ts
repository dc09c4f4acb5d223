// Decides who may join which consult: a patient or interpreter with a valid,
// unrevoked, unexpired invite link for it, or the doctor who owns it (by
// their session). Everyone else is refused with a precise code.
import type { ConsultInfo } from '../../shared/protocol';
import type { JoinRequest } from '../../shared/schemas';
import type { AccountStore } from '../accounts/accountStore';
import type { ParticipantIdentity } from '../live/participant';
import type { ConsultRecord, ConsultStore, InviteLinkRecord } from './consultStore';
import { InviteTokens } from './inviteTokens';
import { Refusal } from '../../shared/refusals';

export interface AuthorizedJoin {
  consult: ConsultInfo;
  identity: ParticipantIdentity;
}

export class JoinAuthorizer {
  readonly #consults: ConsultStore;
  readonly #accounts: AccountStore;
  readonly #tokens: InviteTokens;
  readonly #joinWindowMs: number;
  readonly #now: () => number;

  /** `joinWindowMs`: how long after the scheduled start a link still opens the call (it opens the written side for longer). */
  constructor(consults: ConsultStore, accounts: AccountStore, tokens: InviteTokens, joinWindowMs: number, now: () => number = Date.now) {
    this.#joinWindowMs = joinWindowMs;
    this.#consults = consults;
    this.#accounts = accounts;
    this.#tokens = tokens;
    this.#now = now;
  }

  async authorize(request: JoinRequest, sessionToken: string | undefined): Promise<AuthorizedJoin> {
    if (request.as === 'doctor') {
      const doctor = sessionToken ? this.#accounts.doctorForSession(sessionToken) : undefined;
      if (!doctor) throw new Refusal('unauthenticated', 'sign in to open your consults');
      const record = this.#consults.get(request.consultId);
      // Another doctor's consult is as invisible as one that does not exist.
      if (!record || record.doctorId !== doctor.id) throw new Refusal('not-found', 'no such consult');
      if (record.kind !== 'call') throw new Refusal('consult-closed', 'a records review has no call');
      return { consult: this.#liveInfo(record), identity: { role: 'doctor', displayName: doctor.displayName, linkId: undefined, seat: `doctor:${doctor.id}` } };
    }

    const { link, record } = await this.verifyInviteToken(request.inviteToken);
    if (!this.callOpen(record)) throw new Refusal('consult-ended', 'the time for this call has passed; the link still opens the written opinion');
    return {
      consult: this.#liveInfo(record),
      identity: { role: link.role, displayName: request.displayName, linkId: link.id, seat: `link:${link.id}` },
    };
  }

  /** Whether a link still opens the consult's call: not ended, and within its window after the scheduled start. */
  callOpen(record: ConsultRecord): boolean {
    return record.kind === 'call' && record.endedAt === null && record.scheduledAt + this.#joinWindowMs > this.#now();
  }

  /** The link and consult an invite token stands for, if its signature, expiry and link row all check out. */
  async verifyInviteToken(token: string): Promise<{ link: InviteLinkRecord; record: ConsultRecord }> {
    const verification = await this.#tokens.verify(token);
    if (!verification.ok) {
      throw verification.reason === 'expired'
        ? new Refusal('link-expired', 'this invite link has expired')
        : new Refusal('link-invalid', 'this invite link is not valid');
    }
    const { claims } = verification;
    const link = this.#consults.getLink(claims.linkId);
    if (!link || link.consultId !== claims.consultId || link.role !== claims.role) {
      throw new Refusal('link-invalid', 'this invite link is not valid');
    }
    return { link, record: this.#usableLink(link) };
  }

  /**
   * A short code (/j#<code>) exchanged for the link's signed token, under the
   * same rules as the token itself: a code that is not ours, withdrawn or
   * expired is refused with the same codes.
   */
  async tokenForShortCode(code: string): Promise<{ token: string; link: InviteLinkRecord; record: ConsultRecord }> {
    const link = this.#consults.linkByCodeHash(InviteTokens.shortCodeHash(code));
    if (!link || !this.#tokens.isShortCodeOf(code, link.id)) throw new Refusal('link-invalid', 'this invite link is not valid');
    const record = this.#usableLink(link);
    const token = await this.#tokens.sign({ linkId: link.id, consultId: link.consultId, role: link.role }, link.expiresAt);
    return { token, link, record };
  }

  /** The link's consult, if the link is neither withdrawn nor expired. */
  #usableLink(link: InviteLinkRecord): ConsultRecord {
    if (link.revokedAt !== null) throw new Refusal('link-revoked', 'this invite link was withdrawn');
    if (link.expiresAt <= this.#now()) throw new Refusal('link-expired', 'this invite link has expired');
    const record = this.#consults.get(link.consultId);
    if (!record) throw new Refusal('link-invalid', 'this invite link is not valid');
    return record;
  }

  /**
   * For someone coming back on a new connection (resume): their link must
   * still be valid and their consult not ended, as when they first joined.
   */
  recheck(consultId: string, linkId: string | undefined): void {
    const record = this.#consults.get(consultId);
    if (!record) throw new Refusal('not-found', 'no such consult');
    if (record.endedAt !== null) throw new Refusal('consult-ended', 'this consult has ended');
    if (linkId === undefined) return;
    const link = this.#consults.getLink(linkId);
    if (!link) throw new Refusal('link-invalid', 'this invite link is not valid');
    if (link.revokedAt !== null) throw new Refusal('link-revoked', 'this invite link was withdrawn');
    if (link.expiresAt <= this.#now()) throw new Refusal('link-expired', 'this invite link has expired');
  }

  #liveInfo(record: ConsultRecord): ConsultInfo {
    if (record.endedAt !== null) throw new Refusal('consult-ended', 'this consult has ended');
    return {
      id: record.id,
      title: record.title,
      description: record.patientDescription,
      doctorName: this.#accounts.getDoctor(record.doctorId)?.displayName ?? '',
      patientLanguage: record.patientLanguage,
      interpretation: record.interpretation,
      scheduledAt: new Date(record.scheduledAt).toISOString(),
      doctorTimeZone: record.doctorTimeZone,
    };
  }
}
