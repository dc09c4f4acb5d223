import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Annotation, AnnotationShape, DocumentInfo, DocumentView, PagePoint, PresentationState } from '../../shared/documents';
import { annotationTextMaxLength } from '../../shared/documents';
import type { ConsultSession } from '../call/consultSession';
import { sessionViewerControls, type ViewerControls } from './viewerControls';
import { AnnotationLayer } from './AnnotationLayer';
import { DocumentCanvas, type DrawnGeometry } from './DocumentCanvas';
import { UnsupportedDicom } from './unsupportedDicom';
import type { DocumentsApi } from './documentsApi';
import { useLoadedDocument } from './useLoadedDocument';
import { clamp, clampedPagePoint, pagePointAt, panned, zoomed, type Size } from './viewport';
import { ViewerToolbar, type ViewerTool } from './ViewerToolbar';

/** Freehand strokes keep a point only after the pointer moved this far (page fractions): fewer points, same line. */
const strokeStep = 0.004;
const maxStrokePoints = 500;

/**
 * The document presented to everyone in the call. The presenter moves
 * through it and everyone else follows; anyone who may see it can draw on
 * it. A participant the doctor has not shared it with sees only that
 * something is being shown.
 */
export function DocumentViewer({
  session,
  presentation,
  selfId,
  isDoctor,
  api,
}: {
  session: ConsultSession;
  presentation: PresentationState;
  selfId: string;
  isDoctor: boolean;
  api: DocumentsApi;
}) {
  const { t } = useTranslation();
  const presenting = presentation.presenterId === selfId;
  const controls = useMemo(() => sessionViewerControls(session), [session]);
  const run = (action: () => Promise<void>): void => {
    action().catch((error: unknown) => console.warn('document action failed', error));
  };
  return (
    <section className="document-viewer panel" aria-labelledby="document-viewer-heading" data-presenting={presenting}>
      <header className="viewer-header">
        <h2 id="document-viewer-heading">
          {presentation.document
            ? t(presenting ? 'documents.youArePresenting' : 'documents.presentedBy', { name: presentation.presenterName, document: presentation.document.name })
            : t('documents.presentedHidden', { name: presentation.presenterName })}
        </h2>
        {!presenting && isDoctor && presentation.document && (
          <button type="button" onClick={() => run(() => session.presentDocument(presentation.document?.id ?? ''))}>
            {t('documents.takeOver')}
          </button>
        )}
        {(presenting || isDoctor) && (
          <button type="button" onClick={() => run(() => session.stopPresenting())}>
            {t('documents.stopPresenting')}
          </button>
        )}
      </header>
      {presentation.document ? (
        // A new document starts afresh: its own loading, tools and errors.
        <SharedDocument
          key={presentation.document.id}
          controls={controls}
          presentation={presentation}
          document={presentation.document}
          presenting={presenting}
          isDoctor={isDoctor}
          api={api}
        />
      ) : (
        <p className="viewer-hidden">{t('documents.notSharedWithYou')}</p>
      )}
    </section>
  );
}

/** A document as the viewer shows it, following `presentation`; what the viewer asks for goes to `controls`. */
export function SharedDocument({
  controls,
  presentation,
  document,
  presenting,
  isDoctor,
  api,
}: {
  controls: ViewerControls;
  presentation: PresentationState;
  document: DocumentInfo;
  presenting: boolean;
  isDoctor: boolean;
  api: DocumentsApi;
}) {
  const { t } = useTranslation();
  const load = useLoadedDocument(api, document);
  const viewport = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [geometry, setGeometry] = useState<DrawnGeometry>();
  const [drawError, setDrawError] = useState<unknown>();
  const [tool, setTool] = useState<ViewerTool>(presenting ? 'pan' : 'none');
  const [color, setColor] = useState<Annotation['color']>('yellow');
  const [draft, setDraft] = useState<AnnotationShape | null>(null);
  const [noteAt, setNoteAt] = useState<PagePoint | null>(null);
  const [note, setNote] = useState('');
  const drag = useRef<{ x: number; y: number } | null>(null);
  const view = presentation.view;
  const kind = document.kind;

  // Presenting or not changes which tools make sense: adjusted while rendering, not after.
  const [toolsFor, setToolsFor] = useState(presenting);
  if (toolsFor !== presenting) {
    setToolsFor(presenting);
    setTool((current) => (presenting ? (current === 'none' ? 'pan' : current) : current === 'pan' || current === 'window' ? 'none' : current));
  }

  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const changeView = useCallback(
    (next: DocumentView) => {
      const pageCount = geometry?.pageCount ?? 1;
      const sliceCount = geometry?.sliceCount ?? 1;
      controls.updateView({ ...next, page: clamp(next.page, 1, Math.max(pageCount, 1)), slice: clamp(next.slice, 0, Math.max(sliceCount - 1, 0)) });
    },
    [controls, geometry?.pageCount, geometry?.sliceCount],
  );

  // The wheel scrolls slices (DICOM) or the page, and zooms with Ctrl; it must not scroll the call.
  useEffect(() => {
    const element = viewport.current;
    if (!element || !presenting) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) changeView(zoomed(view, event.deltaY < 0 ? 1.1 : 1 / 1.1));
      else if (kind === 'dicom') changeView({ ...view, slice: view.slice + Math.sign(event.deltaY) });
      else if (geometry) changeView(panned(view, geometry.rect, -event.deltaX, -event.deltaY));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [presenting, view, kind, geometry, changeView]);

  const onGeometry = useCallback((drawn: DrawnGeometry) => setGeometry(drawn), []);
  const onDrawError = useCallback((error: unknown) => setDrawError(error), []);

  const local = (event: PointerEvent<HTMLDivElement>) => {
    const bounds = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - bounds.left, y: event.clientY - bounds.top };
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (!geometry || tool === 'none' || event.button !== 0) return;
    const point = local(event);
    if (tool === 'text') {
      const at = pagePointAt(geometry.rect, point.x, point.y);
      if (at) setNoteAt(at);
      return;
    }
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = point;
    const start = clampedPagePoint(geometry.rect, point.x, point.y);
    if (tool === 'arrow') setDraft({ kind: 'arrow', from: start, to: start });
    if (tool === 'freehand') setDraft({ kind: 'freehand', points: [start, start] });
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!geometry) return;
    const point = local(event);
    if (presenting) controls.movePointer(pagePointAt(geometry.rect, point.x, point.y));
    const last = drag.current;
    if (!last) return;
    const dx = point.x - last.x;
    const dy = point.y - last.y;
    drag.current = point;
    const at = clampedPagePoint(geometry.rect, point.x, point.y);
    if (tool === 'pan') changeView(panned(view, geometry.rect, dx, dy));
    else if (tool === 'window' && geometry.window) {
      // The usual radiology gesture: sideways changes the width (contrast), up and down the centre (brightness).
      const step = Math.max(1, geometry.window.width / 256);
      changeView({ ...view, window: { center: geometry.window.center + dy * step, width: Math.max(1, geometry.window.width + dx * step) } });
    } else if (draft?.kind === 'arrow') setDraft({ ...draft, to: at });
    else if (draft?.kind === 'freehand') {
      const previous = draft.points.at(-1);
      if (previous && Math.hypot(at.x - previous.x, at.y - previous.y) >= strokeStep && draft.points.length < maxStrokePoints) {
        setDraft({ ...draft, points: [...draft.points, at] });
      }
    }
  };

  const onPointerUp = () => {
    drag.current = null;
    const shape = draft;
    setDraft(null);
    if (!shape) return;
    const long =
      shape.kind === 'arrow' ? Math.hypot(shape.to.x - shape.from.x, shape.to.y - shape.from.y) > 0.01 : shape.kind === 'freehand' && shape.points.length > 2;
    if (long) addAnnotation(shape);
  };

  const addAnnotation = (shape: AnnotationShape) => {
    controls
      .addAnnotation({ documentId: document.id, target: { page: view.page, series: view.series, slice: view.slice }, shape, color })
      .catch((error: unknown) => console.warn('could not add the annotation', error));
  };

  const submitNote = (event: FormEvent) => {
    event.preventDefault();
    if (noteAt && note.trim()) addAnnotation({ kind: 'text', at: noteAt, text: note.trim() });
    setNoteAt(null);
    setNote('');
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!presenting) return;
    // Page Up/Down go through pages of a PDF and images of a DICOM series.
    const step = (by: number): DocumentView =>
      kind === 'dicom' ? { ...view, slice: view.slice + by } : { ...view, page: view.page + by, center: { x: 0.5, y: 0.5 } };
    const pan = (dx: number, dy: number): DocumentView => (geometry ? panned(view, geometry.rect, dx, dy) : view);
    const moves: Record<string, () => DocumentView> = {
      PageDown: () => step(1),
      PageUp: () => step(-1),
      '+': () => zoomed(view, 1.25),
      '=': () => zoomed(view, 1.25),
      '-': () => zoomed(view, 1 / 1.25),
      ArrowUp: () => pan(0, 40),
      ArrowDown: () => pan(0, -40),
      ArrowLeft: () => pan(40, 0),
      ArrowRight: () => pan(-40, 0),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    changeView(move());
  };

  const target = { page: view.page, series: view.series, slice: view.slice };
  const onThisPage = presentation.annotations.filter(
    (annotation) => annotation.target.page === target.page && annotation.target.series === target.series && annotation.target.slice === target.slice,
  );
  const failure = load.status === 'failed' ? load.error : drawError;

  return (
    <>
      <ViewerToolbar
        kind={kind}
        view={view}
        geometry={geometry}
        presenting={presenting}
        clinician={isDoctor}
        tool={tool}
        color={color}
        onView={changeView}
        onTool={setTool}
        onColor={setColor}
      />
      <div
        ref={viewport}
        className={`viewer-viewport viewer-tool-${tool}`}
        tabIndex={0}
        role="img"
        aria-label={t(presenting ? 'documents.viewportPresenting' : 'documents.viewportFollowing', { document: document.name })}
        data-document-id={document.id}
        data-kind={kind}
        data-page={view.page}
        data-zoom={view.zoom}
        data-series={view.series}
        data-slice={view.slice}
        data-window={view.window ? `${view.window.center}/${view.window.width}` : ''}
        data-page-rect={geometry ? JSON.stringify(geometry.rect) : ''}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={() => presenting && controls.movePointer(null)}
        onKeyDown={onKeyDown}
      >
        {load.status === 'ready' && !failure && (
          <DocumentCanvas loaded={load.loaded} view={view} size={size} onGeometry={onGeometry} onError={onDrawError} />
        )}
        {geometry && !failure && (
          <AnnotationLayer
            size={size}
            rect={geometry.rect}
            annotations={onThisPage}
            draft={draft ? { shape: draft, color } : null}
            pointer={presenting ? null : presentation.pointer}
            presenterName={presentation.presenterName}
          />
        )}
        {load.status === 'loading' && <p className="viewer-message">{t('documents.loading')}</p>}
        {failure !== undefined && (
          <p className="viewer-message" role="alert">
            {failure instanceof UnsupportedDicom ? t(`documents.dicomProblem.${failure.problem.reason}`, failure.problem) : t('documents.cannotShow')}{' '}
            <button type="button" onClick={() => void api.download(document).catch(() => undefined)}>
              {t('documents.download')}
            </button>
          </p>
        )}
        {noteAt && geometry && (
          <form
            className="note-form"
            // Page coordinates are physical (from the left), in right-to-left layouts too.
            style={{ left: geometry.rect.left + noteAt.x * geometry.rect.width, top: geometry.rect.top + noteAt.y * geometry.rect.height }}
            onSubmit={submitNote}
            onPointerDown={(event) => event.stopPropagation()}
          >
            <label className="visually-hidden" htmlFor="annotation-note">
              {t('documents.noteLabel')}
            </label>
            <input id="annotation-note" autoFocus maxLength={annotationTextMaxLength} value={note} onChange={(event) => setNote(event.target.value)} />
            <button type="submit" disabled={!note.trim()}>
              {t('documents.addNote')}
            </button>
            <button type="button" onClick={() => setNoteAt(null)}>
              {t('common.cancel')}
            </button>
          </form>
        )}
      </div>
      {onThisPage.length > 0 && (
        <AnnotationList annotations={onThisPage} selfId={controls.selfId} canRemoveAny={controls.canRemoveAnyAnnotation} controls={controls} />
      )}
    </>
  );
}

/** The annotations on this page in words, for screen readers and for removing one. */
function AnnotationList({
  annotations,
  selfId,
  canRemoveAny,
  controls,
}: {
  annotations: readonly Annotation[];
  selfId: string | undefined;
  canRemoveAny: boolean;
  controls: ViewerControls;
}) {
  const { t } = useTranslation();
  return (
    <details className="annotation-list">
      <summary>{t('documents.annotationsHere', { count: annotations.length })}</summary>
      <ul>
        {annotations.map((annotation) => (
          <li key={annotation.id}>
            {t(`documents.annotationKind.${annotation.shape.kind}`)}
            {annotation.shape.kind === 'text' && `: “${annotation.shape.text}”`} · {annotation.author.displayName} ·{' '}
            {t(`documents.colours.${annotation.color}`)}
            {(canRemoveAny || annotation.author.participantId === selfId) && (
              <button type="button" onClick={() => void controls.removeAnnotation(annotation.id).catch(() => undefined)}>
                {t('documents.removeAnnotation')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
