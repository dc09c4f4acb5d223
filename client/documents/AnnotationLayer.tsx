import { useTranslation } from 'react-i18next';
import type { Annotation, AnnotationShape, PagePoint } from '../../shared/documents';
import type { Rect, Size } from './viewport';

export const annotationPalette: Record<Annotation['color'], string> = {
  yellow: '#f2c200',
  red: '#d92d20',
  blue: '#1f6fd1',
  green: '#1a9e55',
};

/**
 * The annotations on the page or slice shown, a shape being drawn, and the
 * presenter's pointer, over the document. Positions are page fractions, so
 * they sit on the same spot of the page on every screen.
 */
export function AnnotationLayer({
  size,
  rect,
  annotations,
  draft,
  pointer,
  presenterName,
}: {
  size: Size;
  rect: Rect;
  annotations: readonly Annotation[];
  draft: { shape: AnnotationShape; color: Annotation['color'] } | null;
  pointer: PagePoint | null;
  presenterName: string | null;
}) {
  const { t } = useTranslation();
  const at = (point: PagePoint): { x: number; y: number } => ({ x: rect.left + point.x * rect.width, y: rect.top + point.y * rect.height });
  return (
    <svg className="annotation-layer" width={size.width} height={size.height} viewBox={`0 0 ${size.width} ${size.height}`} aria-hidden="true">
      <defs>
        {Object.entries(annotationPalette).map(([name, colour]) => (
          <marker key={name} id={`arrowhead-${name}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill={colour} />
          </marker>
        ))}
      </defs>
      {annotations.map((annotation) => (
        <Shape key={annotation.id} shape={annotation.shape} color={annotation.color} at={at} id={annotation.id} />
      ))}
      {draft && <Shape shape={draft.shape} color={draft.color} at={at} id="draft" />}
      {pointer && (
        <g className="presenter-pointer" data-pointer={`${pointer.x.toFixed(3)},${pointer.y.toFixed(3)}`}>
          <circle cx={at(pointer).x} cy={at(pointer).y} r="9" />
          {presenterName && (
            <text x={at(pointer).x + 14} y={at(pointer).y + 5}>
              {t('documents.pointerOf', { name: presenterName })}
            </text>
          )}
        </g>
      )}
    </svg>
  );
}

function Shape({ shape, color, at, id }: { shape: AnnotationShape; color: Annotation['color']; at: (point: PagePoint) => { x: number; y: number }; id: string }) {
  const colour = annotationPalette[color];
  switch (shape.kind) {
    case 'arrow': {
      const from = at(shape.from);
      const to = at(shape.to);
      return (
        <line
          className="annotation"
          data-annotation-id={id}
          x1={from.x}
          y1={from.y}
          x2={to.x}
          y2={to.y}
          stroke={colour}
          strokeWidth="4"
          strokeLinecap="round"
          markerEnd={`url(#arrowhead-${color})`}
        />
      );
    }
    case 'freehand':
      return (
        <polyline
          className="annotation"
          data-annotation-id={id}
          points={shape.points.map((point) => `${at(point).x},${at(point).y}`).join(' ')}
          fill="none"
          stroke={colour}
          strokeWidth="4"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      );
    case 'text': {
      const position = at(shape.at);
      return (
        <text className="annotation annotation-text" data-annotation-id={id} x={position.x} y={position.y} fill={colour}>
          {shape.text}
        </text>
      );
    }
  }
}
