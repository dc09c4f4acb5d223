// A consult's document quota, with reservations: every upload in progress
import { Refusal } from '../../shared/refusals';
// holds the bytes it has received (and a study the bytes it will unpack to)
// before writing them, checked against what is stored plus what all other
// uploads hold. The check and the reservation happen in one synchronous
// step, so uploads running side by side cannot together exceed the quota.

export class QuotaLedger {
  readonly #maxBytes: number;
  readonly #storedBytesOf: (consultId: string) => number;
  readonly #reserved = new Map<string, number>();

  constructor(maxBytes: number, storedBytesOf: (consultId: string) => number) {
    this.#maxBytes = maxBytes;
    this.#storedBytesOf = storedBytesOf;
  }

  /** Room left for a consult's documents, after what is stored and what uploads in progress hold. */
  remaining(consultId: string): number {
    return Math.max(0, this.#maxBytes - this.#storedBytesOf(consultId) - (this.#reserved.get(consultId) ?? 0));
  }

  open(consultId: string): QuotaReservation {
    return new QuotaReservation(consultId, this);
  }

  /** Only for QuotaReservation. */
  adjust(consultId: string, bytes: number): void {
    const total = (this.#reserved.get(consultId) ?? 0) + bytes;
    if (total > 0) this.#reserved.set(consultId, total);
    else this.#reserved.delete(consultId);
  }
}

export class QuotaReservation {
  readonly #consultId: string;
  readonly #ledger: QuotaLedger;
  #bytes = 0;
  #released = false;

  constructor(consultId: string, ledger: QuotaLedger) {
    this.#consultId = consultId;
    this.#ledger = ledger;
  }

  /** Holds `bytes` more, or refuses with `storage-full` and holds nothing more. */
  grow(bytes: number): void {
    if (this.#released) throw new Error('quota reservation used after release');
    if (bytes > this.#ledger.remaining(this.#consultId)) {
      throw new Refusal('storage-full', 'there is not enough space left for this consult’s documents');
    }
    this.#bytes += bytes;
    this.#ledger.adjust(this.#consultId, bytes);
  }

  /** Gives the bytes back: call it in the same synchronous step as storing them, or on failure. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#ledger.adjust(this.#consultId, -this.#bytes);
  }
}
