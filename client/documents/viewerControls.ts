// What the document viewer does with what the viewer asks for (a new page,
// zoom or slice; the pointer; an annotation): in the call, the session relays
// it to everyone who follows; looking at a document alone (a records review),
// it stays on this page.
import type { AddAnnotationRequest, Annotation, DocumentView, PagePoint } from '../../shared/documents';
import type { ConsultSession } from '../call/consultSession';

export interface ViewerControls {
  updateView: (view: DocumentView) => void;
  movePointer: (pointer: PagePoint | null) => void;
  addAnnotation: (request: AddAnnotationRequest) => Promise<void>;
  removeAnnotation: (annotationId: string) => Promise<void>;
  /** Who looks, to offer removing their own annotations. */
  selfId: string | undefined;
  /** The doctor removes anyone's. */
  canRemoveAnyAnnotation: boolean;
}

export function sessionViewerControls(session: ConsultSession): ViewerControls {
  const self = session.getState().self;
  return {
    updateView: (view) => session.updateView(view),
    movePointer: (pointer) => session.movePointer(pointer),
    addAnnotation: (request) => session.addAnnotation(request),
    removeAnnotation: (annotationId) => session.removeAnnotation(annotationId),
    selfId: self?.id,
    canRemoveAnyAnnotation: self?.role === 'doctor',
  };
}

/** The one looking alone, as annotations name their author. */
export const privateViewerId = 'self';

/** Controls for a document looked at alone: the view and notes live in this page only. */
export function privateViewerControls(setView: (view: DocumentView) => void, setAnnotations: (change: (annotations: Annotation[]) => Annotation[]) => void): ViewerControls {
  return {
    updateView: setView,
    movePointer: () => undefined,
    addAnnotation: (request) => {
      setAnnotations((annotations) => [
        ...annotations,
        { ...request, id: crypto.randomUUID(), author: { participantId: privateViewerId, displayName: '', role: 'doctor' }, createdAt: new Date().toISOString() },
      ]);
      return Promise.resolve();
    },
    removeAnnotation: (annotationId) => {
      setAnnotations((annotations) => annotations.filter((annotation) => annotation.id !== annotationId));
      return Promise.resolve();
    },
    selfId: privateViewerId,
    canRemoveAnyAnnotation: true,
  };
}
