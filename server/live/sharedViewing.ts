// Looking at a document together: one person presents, everyone in the call
// who may see the document follows their page, zoom, position and pointer,
// and anyone who may see it can annotate it. A consult owns one of these;
// the consult checks membership and admission before calling in.
import type {
  AddAnnotationRequest,
  Annotation,
  DocumentView,
  PagePoint,
  PresentationState,
} from '../../shared/documents';
import { initialDocumentView } from '../../shared/documents';
import type { ServerToClientEvents } from '../../shared/protocol';
import { documentInfo, maySee, type AccessFacts } from '../documents/documentAccess';
import type { ConsultDocuments, DocumentRecord } from '../documents/documentStore';
import type { ConsultMemory } from './consultMemory';
import { BurstLimiter } from './burstLimiter';
import type { Participant } from './participant';
import { Refusal } from '../../shared/refusals';

/** A document added, removed or shared differently. */
export interface DocumentChange {
  kind: 'added' | 'removed' | 'access';
  /** The document as it is now (as it was, when removed). */
  document: AccessFacts & { id: string };
  /** For an access change, who could see it before: they learn it left their list. */
  before?: AccessFacts | undefined;
}

/** The presenter is known by id (the same for the same person, across reconnections and restarts). */
interface Presenting {
  presenterId: string;
  presenterName: string;
  documentId: string;
  view: DocumentView;
  pointer: PagePoint | null;
}

/** A presenter's view changes many times a second; what is kept is at most this old. */
const viewSaveDelayMs = 1000;

export interface SharedViewingContext {
  documents: ConsultDocuments;
  /** Where the presentation is kept beyond this consult object's life. */
  memory: Pick<ConsultMemory, 'presentation' | 'savePresentation'>;
  /** Everyone in the consult, admitted or waiting. */
  participants: () => Iterable<Participant>;
  /** Records that a document was presented. */
  auditPresented: (presenter: Participant, document: DocumentRecord) => void;
}

export class SharedViewing {
  readonly #context: SharedViewingContext;
  readonly #annotationBurst = new BurstLimiter<Participant>(30, 10_000, 'annotations');
  // Clients send at most ~17 view and ~25 pointer updates a second; this leaves room and stops a flood.
  readonly #viewBurst = new BurstLimiter<Participant>(80, 2_000, 'view updates');
  readonly #pointerBurst = new BurstLimiter<Participant>(120, 2_000, 'pointer updates');
  #current: Presenting | undefined;
  #saveTimer: NodeJS.Timeout | undefined;

  constructor(context: SharedViewingContext) {
    this.#context = context;
    // Back after a restart: the document shown before, at the view it had.
    const stored = context.memory.presentation();
    if (stored && context.documents.get(stored.documentId)) this.#current = { ...stored, pointer: null };
  }

  /** What `participant` sees of the presentation; null when nothing is presented or they are not in the call. */
  stateFor(participant: Participant): PresentationState | null {
    const current = this.#current;
    if (!current || !participant.admitted) return null;
    const document = this.#context.documents.get(current.documentId);
    const visible = document !== undefined && maySee(participant, document);
    return {
      presenterId: current.presenterId,
      presenterName: current.presenterName,
      document: visible ? documentInfo(document, participant) : null,
      view: current.view,
      pointer: current.pointer,
      annotations: visible ? this.#context.documents.annotations(document.id) : [],
    };
  }

  /**
   * Opens a document for everyone. Anyone in the call may start presenting
   * what they may see; while someone presents, only a doctor may take over.
   */
  present(participant: Participant, documentId: string): PresentationState {
    const document = this.#visibleDocument(participant, documentId);
    const current = this.#current;
    if (current && current.presenterId !== participant.id && participant.role !== 'doctor') {
      throw new Refusal('forbidden', `${current.presenterName} is presenting; only the doctor can take over`);
    }
    this.#current = { presenterId: participant.id, presenterName: participant.displayName, documentId: document.id, view: initialDocumentView, pointer: null };
    this.#context.auditPresented(participant, document);
    this.#save();
    this.#publish();
    return this.stateFor(participant) as PresentationState;
  }

  updateView(participant: Participant, view: DocumentView): void {
    const current = this.#presentedBy(participant);
    this.#viewBurst.take(participant);
    current.view = view;
    this.#saveSoon();
    this.#toFollowers(current, 'viewChanged', { view });
  }

  movePointer(participant: Participant, pointer: PagePoint | null): void {
    const current = this.#presentedBy(participant);
    this.#pointerBurst.take(participant);
    current.pointer = pointer;
    this.#toFollowers(current, 'pointerMoved', { pointer });
  }

  /** The presenter stops, or a doctor stops anyone's presentation. */
  stop(participant: Participant): void {
    const current = this.#current;
    if (!current) return;
    if (current.presenterId !== participant.id && participant.role !== 'doctor') {
      throw new Refusal('forbidden', 'only the presenter or the doctor can stop the presentation');
    }
    this.#clear();
  }

  addAnnotation(participant: Participant, request: AddAnnotationRequest): Annotation {
    const document = this.#visibleDocument(participant, request.documentId);
    this.#annotationBurst.take(participant);
    const annotation = this.#context.documents.addAnnotation(request, {
      participantId: participant.id,
      displayName: participant.displayName,
      role: participant.role,
    });
    this.#toViewersOf(document, (viewer) => viewer.channel.notify('annotationAdded', annotation));
    return annotation;
  }

  /** Its author or a doctor may remove an annotation. */
  removeAnnotation(participant: Participant, annotationId: string): void {
    const annotation = this.#context.documents.annotation(annotationId);
    const document = annotation ? this.#context.documents.get(annotation.documentId) : undefined;
    if (!annotation || !document || !maySee(participant, document)) throw new Refusal('not-found', 'no such annotation');
    if (annotation.author.participantId !== participant.id && participant.role !== 'doctor') {
      throw new Refusal('forbidden', 'only its author or the doctor can remove an annotation');
    }
    this.#context.documents.removeAnnotation(annotationId);
    this.#toViewersOf(document, (viewer) => viewer.channel.notify('annotationRemoved', { annotationId, documentId: document.id }));
  }

  /**
   * A document was added, removed or shared differently (over HTTP): the
   * lists of those who may see it (or could, before) are stale. Nobody else
   * hears of it: the same rule as the documents API.
   */
  documentsChanged({ kind, document, before }: DocumentChange): void {
    for (const participant of this.#context.participants()) {
      if (maySee(participant, document) || (before !== undefined && maySee(participant, before))) {
        participant.channel.notify('documentsChanged', { documentId: document.id, change: kind });
      }
    }
    if (this.#current?.documentId !== document.id) return;
    if (kind === 'removed') this.#clear();
    else if (kind === 'access') this.#publish();
  }

  /** Someone left the consult for good: their presentation ends with them. */
  participantLeft(participant: Participant): void {
    if (this.#current?.presenterId === participant.id) this.#clear();
  }

  /** The consult is closing: keep the presentation for its return (a restart), or forget it (it ended). */
  close(keep: boolean): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (keep) this.#save();
    else this.#context.memory.savePresentation(null);
  }

  #visibleDocument(participant: Participant, documentId: string): DocumentRecord {
    const document = this.#context.documents.get(documentId);
    if (!document || !maySee(participant, document)) throw new Refusal('not-found', 'no such document in this consult');
    return document;
  }

  #presentedBy(participant: Participant): Presenting {
    const current = this.#current;
    if (!current || current.presenterId !== participant.id) throw new Refusal('forbidden', 'you are not presenting');
    return current;
  }

  #clear(): void {
    this.#current = undefined;
    this.#save();
    this.#publish();
  }

  #save(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const current = this.#current;
    this.#context.memory.savePresentation(
      current ? { presenterId: current.presenterId, presenterName: current.presenterName, documentId: current.documentId, view: current.view } : null,
    );
  }

  #saveSoon(): void {
    if (this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => this.#save(), viewSaveDelayMs);
    this.#saveTimer.unref();
  }

  #publish(): void {
    for (const participant of this.#context.participants()) {
      if (participant.admitted) participant.channel.notify('presentationChanged', { presentation: this.stateFor(participant) });
    }
  }

  #toViewersOf(document: DocumentRecord, send: (viewer: Participant) => void): void {
    for (const participant of this.#context.participants()) {
      if (participant.admitted && maySee(participant, document)) send(participant);
    }
  }

  /** View and pointer go to those following who may see the document; the presenter knows already. */
  #toFollowers<E extends 'viewChanged' | 'pointerMoved'>(
    current: Presenting,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    const document = this.#context.documents.get(current.documentId);
    if (!document) return;
    this.#toViewersOf(document, (viewer) => {
      if (viewer.id !== current.presenterId) viewer.channel.notify(event, ...args);
    });
  }
}
