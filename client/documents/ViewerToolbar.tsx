import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { annotationColors, type Annotation, type DicomWindow, type DocumentKind, type DocumentView } from '../../shared/documents';
import type { DrawnGeometry } from './DocumentCanvas';
import { clamp, zoomed } from './viewport';

export type ViewerTool = 'none' | 'pan' | 'window' | 'arrow' | 'freehand' | 'text';

/** Common CT windows (centre/width in Hounsfield units). */
const ctPresets: { name: 'softTissue' | 'lung' | 'bone' | 'brain'; window: DicomWindow }[] = [
  { name: 'softTissue', window: { center: 40, width: 400 } },
  { name: 'lung', window: { center: -600, width: 1500 } },
  { name: 'bone', window: { center: 300, width: 2000 } },
  { name: 'brain', window: { center: 40, width: 80 } },
];

/**
 * The presenter moves through the document (page, slice, zoom, window);
 * everyone picks an annotation tool and colour. Followers see where the
 * presenter is, announced to screen readers as it changes. Window centre
 * and width are numbers for clinicians: others see them only after asking
 * for the image settings.
 */
export function ViewerToolbar({
  kind,
  view,
  geometry,
  presenting,
  clinician,
  tool,
  color,
  onView,
  onTool,
  onColor,
}: {
  kind: DocumentKind;
  view: DocumentView;
  geometry: DrawnGeometry | undefined;
  presenting: boolean;
  /** The doctor: the DICOM window's numbers and controls are always in view. */
  clinician: boolean;
  tool: ViewerTool;
  color: Annotation['color'];
  onView: (view: DocumentView) => void;
  onTool: (tool: ViewerTool) => void;
  onColor: (color: Annotation['color']) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const pageCount = geometry?.pageCount ?? 1;
  const sliceCount = geometry?.sliceCount ?? 0;
  const [advanced, setAdvanced] = useState(false);
  const technical = kind === 'dicom' && (clinician || advanced);
  const shownWindow = technical ? (view.window ?? geometry?.window ?? null) : null;
  const position =
    kind === 'dicom'
      ? t('documents.sliceOf', { slice: Math.min(view.slice, Math.max(sliceCount - 1, 0)) + 1, count: sliceCount })
      : t('documents.pageOf', { page: Math.min(view.page, pageCount), count: pageCount });
  const tools: ViewerTool[] = [
    ...(presenting ? (['pan'] as const) : (['none'] as const)),
    ...(presenting && technical ? (['window'] as const) : []),
    'arrow',
    'freehand',
    'text',
  ];
  const setWindow = (window: DicomWindow | null) => onView({ ...view, window });

  return (
    <div className="viewer-toolbar" role="toolbar" aria-label={t('documents.toolbarLabel')}>
      <p className="viewer-position" role="status" aria-live="polite">
        {position} · {t('documents.zoomLevel', { percent: Math.round(view.zoom * 100) })}
        {shownWindow && ` · ${t('documents.windowLevel', { center: Math.round(shownWindow.center), width: Math.round(shownWindow.width) })}`}
      </p>
      {presenting && kind === 'pdf' && (
        <div className="viewer-group">
          <button type="button" disabled={view.page <= 1} onClick={() => onView({ ...view, page: view.page - 1, center: { x: 0.5, y: 0.5 } })}>
            {t('documents.previousPage')}
          </button>
          <button type="button" disabled={view.page >= pageCount} onClick={() => onView({ ...view, page: view.page + 1, center: { x: 0.5, y: 0.5 } })}>
            {t('documents.nextPage')}
          </button>
        </div>
      )}
      {presenting && kind === 'dicom' && (
        <div className="viewer-group">
          {(geometry?.seriesCount ?? 0) > 1 && (
            <label>
              {t('documents.series')}{' '}
              <select value={view.series} onChange={(event) => onView({ ...view, series: Number(event.target.value), slice: 0, window: null })}>
                {Array.from({ length: geometry?.seriesCount ?? 0 }, (_, index) => (
                  <option key={index} value={index}>
                    {t('documents.seriesNumber', { number: index + 1 })}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label htmlFor={`${id}-slice`}>{t('documents.slice')}</label>
          <input
            id={`${id}-slice`}
            type="range"
            min={1}
            max={Math.max(sliceCount, 1)}
            value={view.slice + 1}
            onChange={(event) => onView({ ...view, slice: clamp(Number(event.target.value) - 1, 0, Math.max(sliceCount - 1, 0)) })}
          />
        </div>
      )}
      {presenting && (
        <div className="viewer-group">
          <button type="button" onClick={() => onView(zoomed(view, 1 / 1.25))}>
            {t('documents.zoomOut')}
          </button>
          <button type="button" onClick={() => onView(zoomed(view, 1.25))}>
            {t('documents.zoomIn')}
          </button>
          <button type="button" onClick={() => onView({ ...view, zoom: 1, center: { x: 0.5, y: 0.5 } })}>
            {t('documents.fitPage')}
          </button>
        </div>
      )}
      {presenting && kind === 'dicom' && shownWindow && (
        <div className="viewer-group">
          <label htmlFor={`${id}-center`}>{t('documents.windowCenter')}</label>
          <input
            id={`${id}-center`}
            type="number"
            step={1}
            value={Math.round(shownWindow.center)}
            onChange={(event) => Number.isFinite(event.target.valueAsNumber) && setWindow({ ...shownWindow, center: event.target.valueAsNumber })}
          />
          <label htmlFor={`${id}-width`}>{t('documents.windowWidth')}</label>
          <input
            id={`${id}-width`}
            type="number"
            min={1}
            step={1}
            value={Math.round(shownWindow.width)}
            onChange={(event) =>
              Number.isFinite(event.target.valueAsNumber) && setWindow({ ...shownWindow, width: Math.max(1, event.target.valueAsNumber) })
            }
          />
          <label htmlFor={`${id}-preset`} className="visually-hidden">
            {t('documents.windowPreset')}
          </label>
          <select
            id={`${id}-preset`}
            value=""
            onChange={(event) => {
              const preset = ctPresets.find((candidate) => candidate.name === event.target.value);
              if (event.target.value === 'file') setWindow(null);
              else if (preset) setWindow(preset.window);
            }}
          >
            <option value="">{t('documents.windowPreset')}</option>
            <option value="file">{t('documents.presets.file')}</option>
            {ctPresets.map((preset) => (
              <option key={preset.name} value={preset.name}>
                {t(`documents.presets.${preset.name}`, { center: preset.window.center, width: preset.window.width })}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === 'dicom' && !clinician && (
        <button type="button" className="viewer-advanced" aria-expanded={advanced} onClick={() => setAdvanced((value) => !value)}>
          {t(advanced ? 'documents.hideImageSettings' : 'documents.showImageSettings')}
        </button>
      )}
      <fieldset className="viewer-group viewer-tools">
        <legend className="visually-hidden">{t('documents.tools')}</legend>
        {tools.map((candidate) => (
          <button key={candidate} type="button" aria-pressed={tool === candidate} onClick={() => onTool(candidate)}>
            {t(`documents.tool.${candidate}`)}
          </button>
        ))}
        <label htmlFor={`${id}-colour`} className="visually-hidden">
          {t('documents.colour')}
        </label>
        <select id={`${id}-colour`} value={color} onChange={(event) => onColor(event.target.value as Annotation['color'])}>
          {annotationColors.map((candidate) => (
            <option key={candidate} value={candidate}>
              {t(`documents.colours.${candidate}`)}
            </option>
          ))}
        </select>
      </fieldset>
    </div>
  );
}
