// The document shown to everyone, from this page's side: following the
// presenter's view, pointer and annotations as the server relays them, and,
// when we present, sending ours (only the latest of a burst of view and
// pointer changes goes out).
import type { AddAnnotationRequest, Annotation, DocumentView, PagePoint } from '../../shared/documents';
import { LatestOnly } from './latestOnly';
import type { SessionStore } from './sessionState';
import type { ConsiliumSocket, Requester } from './signallingClient';

export class PresentationFollower {
  readonly #store: SessionStore;
  readonly #send: Requester;
  /** A presenter's view and pointer change many times a second; the others need the latest. */
  readonly #viewUpdates: LatestOnly<DocumentView>;
  readonly #pointerUpdates: LatestOnly<PagePoint | null>;

  constructor(store: SessionStore, send: Requester) {
    this.#store = store;
    this.#send = send;
    this.#viewUpdates = new LatestOnly<DocumentView>(60, (view) => send('updateView', { view }));
    this.#pointerUpdates = new LatestOnly<PagePoint | null>(40, (pointer) => send('movePointer', { pointer }));
  }

  follow(socket: ConsiliumSocket): void {
    socket.on('presentationChanged', ({ presentation }) => this.#store.update({ presentation }));
    socket.on('viewChanged', ({ view }) => {
      const { presentation, self } = this.#store.getState();
      if (presentation && presentation.presenterId !== self?.id) this.#store.update({ presentation: { ...presentation, view } });
    });
    socket.on('pointerMoved', ({ pointer }) => {
      const { presentation } = this.#store.getState();
      if (presentation) this.#store.update({ presentation: { ...presentation, pointer } });
    });
    socket.on('annotationAdded', (annotation) => this.#add(annotation));
    socket.on('annotationRemoved', ({ annotationId }) => this.#drop(annotationId));
  }

  /** Shows a document to everyone (a doctor takes over from another presenter this way). */
  async present(documentId: string): Promise<void> {
    const { presentation } = await this.#send('presentDocument', { documentId });
    this.#store.update({ presentation });
  }

  /** Presenter: our view changes at once; the others follow within a fraction of a second. */
  updateView(view: DocumentView): void {
    const { presentation, self } = this.#store.getState();
    if (!presentation || presentation.presenterId !== self?.id) return;
    this.#store.update({ presentation: { ...presentation, view } });
    this.#viewUpdates.push(view);
  }

  /** Presenter: where our pointer is on the page (null: it left the page). */
  movePointer(pointer: PagePoint | null): void {
    const { presentation, self } = this.#store.getState();
    if (presentation?.presenterId !== self?.id) return;
    this.#pointerUpdates.push(pointer);
  }

  async stop(): Promise<void> {
    this.cancel();
    await this.#send('stopPresenting');
    this.#store.update({ presentation: null });
  }

  async addAnnotation(annotation: AddAnnotationRequest): Promise<void> {
    const { annotation: added } = await this.#send('addAnnotation', annotation);
    this.#add(added);
  }

  async removeAnnotation(annotationId: string): Promise<void> {
    await this.#send('removeAnnotation', { annotationId });
    this.#drop(annotationId);
  }

  /** Nothing more goes out (we stopped presenting, or the session is over). */
  cancel(): void {
    this.#viewUpdates.cancel();
    this.#pointerUpdates.cancel();
  }

  #add(annotation: Annotation): void {
    const { presentation } = this.#store.getState();
    if (!presentation || presentation.document?.id !== annotation.documentId) return;
    if (presentation.annotations.some((known) => known.id === annotation.id)) return;
    this.#store.update({ presentation: { ...presentation, annotations: [...presentation.annotations, annotation] } });
  }

  #drop(annotationId: string): void {
    const { presentation } = this.#store.getState();
    if (!presentation) return;
    this.#store.update({ presentation: { ...presentation, annotations: presentation.annotations.filter((known) => known.id !== annotationId) } });
  }
}
