// What a live consult keeps beyond its own life (a server restart, a crash,
// everyone dropping at once), so that people come back to the same consult:
// the same participant id for the same person, whether the doctor let them
// in, the document shown and the interpretation floor. The registry binds it
// to the database (scheduling/liveStateStore.ts); tests keep it in memory.
import type { DocumentView } from '../../shared/documents';
import type { FloorState } from '../../shared/protocol';

/** A person's place in a consult across connections. */
export interface RememberedSeat {
  participantId: string;
  /** The doctor let them into the call, and has not removed them since. */
  admitted: boolean;
}

/** The presentation as it is kept: whose, of which document, at which view. */
export interface StoredPresentation {
  presenterId: string;
  presenterName: string;
  documentId: string;
  view: DocumentView;
}

export interface ConsultMemory {
  /** The seat's participant id (made the first time) and whether they were admitted. */
  seat(seat: string): RememberedSeat;
  rememberAdmission(seat: string, admitted: boolean): void;
  /** Someone is in the consult now (`auditName` for the log, should a crash cut their departure short). */
  arrived(participantId: string, auditName: string): void;
  departed(participantId: string): void;
  presentation(): StoredPresentation | null;
  savePresentation(presentation: StoredPresentation | null): void;
  floor(): FloorState | null;
  saveFloor(floor: FloorState | null): void;
}
